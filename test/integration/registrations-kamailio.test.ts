import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredContact } from '../../src/contract/registrations-methods';
import type { HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { runCli } from '../helpers/cli';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { ctlAtDefaultPath, registerPhones, startRegistrar, ulDump, type Phones, type Registrar } from '../helpers/kamailio-registrar';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// Registrations from a real Kamailio: a registrar (registrar + usrloc + ctl, usrloc keepalive every
// second) on 127.0.0.1, phones registered by SIPp REGISTERs with known users and expiries, a desk
// phone and a mobile for alice. The servers' sessions come from a real OpenSSH sshd whose sessions
// see the registrar's folder as /run/kamailio, so the SHIPPED recipe book runs unchanged: its
// `registrations` command, kamcmd found in /usr/sbin, kamcmd's own default control socket.
// A second sshd sees no Kamailio at all. The mobile phone then goes away without unregistering:
// its keepalive OPTIONS go unanswered, and Switchyard must flag its contacts.

const DESK = [
  { user: 'alice', expires: 300, userAgent: 'SwitchyardLab/alice-desk' },
  { user: 'bob', expires: 600, userAgent: 'SwitchyardLab/bob-desk' },
  // A numeric user, as most PBX extensions are: kamcmd would send it as a number unless told not to.
  { user: '1001', expires: 3600, userAgent: 'SwitchyardLab/1001-desk' },
];
const MOBILE = [
  { user: 'alice', expires: 900, userAgent: 'SwitchyardLab/alice-mobile' },
  { user: 'carol', expires: 1200, userAgent: 'SwitchyardLab/carol-mobile' },
];

let registrar: Registrar;
let desk: Phones;
let mobile: Phones;
let sshd: Sshd;
let blind: Sshd;
let dir: string;
let data: string;
let app: HostApp;
let serverId: string;
let blindId: string;

beforeAll(async () => {
  registrar = await startRegistrar();
  desk = await registerPhones(registrar, DESK);
  mobile = await registerPhones(registrar, MOBILE);
  sshd = await startSshd({ hostKeys: ['ed25519'], launcher: ctlAtDefaultPath(registrar) });
  blind = await startSshd({ hostKeys: ['ed25519'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-registrations-'));
  data = path.join(dir, 'data');
  const { keyType, key } = hostPublicKey('ed25519');
  app = openTestHost(data, Date.now);
  writeFileSync(
    path.join(data, 'known_hosts'),
    [sshd.port, blind.port].map((p) => `[127.0.0.1]:${p} ${keyType} ${key}`).join('\n') + '\n',
    { mode: 0o600 },
  );
  const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
  const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key' as const, keyPath: fixture('user_ed25519'), jumpHost: null };
  serverId = (await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.1', alias: 'reg-sw1' }), ssh })).id;
  blindId = (
    await call(app, 'fleet:create-server', {
      ...draft(zone.id, { ip: '127.0.0.2', alias: 'reg-blind' }),
      ssh: { ...ssh, host: '127.0.0.1', port: blind.port },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  for (const peer of [mobile, desk, registrar, sshd, blind]) await peer?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const port = (c: RegisteredContact) => Number(/@127\.0\.0\.1:(\d+)/.exec(c.address)?.[1]);
const read = () => call(app, 'registrations:for-server', { serverId });

describe('registrations from a real Kamailio', { timeout: 60_000 }, () => {
  it('reads the counts, contacts and expiries that were registered, with each keepalive round trip', async () => {
    // Every contact answers a keepalive within a round or two (one a second).
    const regs = await until('all five contacts answering keepalives', async () => {
      const r = await read();
      return r.keepaliveHealth.answering === 5 ? r : null;
    });
    expect(regs).toMatchObject({
      aorCount: 4,
      contactCount: 5,
      truncated: false,
      serverClock: true,
      domains: [{ name: 'location', aors: 4, records: 4 }],
    });
    expect(regs.command.startsWith("sh -c '# Reading user locations.")).toBe(true);
    // As Kamailio itself counts them, asked directly.
    expect((await ulDump(registrar)).match(/\bContact: \{/g)).toHaveLength(5);
    const rows = regs.contacts.map((c) => [c.aor, port(c), c.userAgent]).sort((a, b) => String(a[2]).localeCompare(String(b[2])));
    expect(rows).toEqual([
      ['1001', desk.port, 'SwitchyardLab/1001-desk'],
      ['alice', desk.port, 'SwitchyardLab/alice-desk'],
      ['alice', mobile.port, 'SwitchyardLab/alice-mobile'],
      ['bob', desk.port, 'SwitchyardLab/bob-desk'],
      ['carol', mobile.port, 'SwitchyardLab/carol-mobile'],
    ]);
    for (const phone of [...DESK, ...MOBILE]) {
      const c = regs.contacts.find((x) => x.userAgent === `SwitchyardLab/${phone.user}-${DESK.includes(phone) ? 'desk' : 'mobile'}`);
      // Seconds left, counted down since the REGISTER a few seconds ago.
      expect(c?.expires).toBeLessThanOrEqual(phone.expires);
      expect(c?.expires).toBeGreaterThan(phone.expires - 30);
      expect(c?.socket).toBe(`udp:127.0.0.1:${registrar.port}`);
      expect(c?.keepalive.state).toBe('answering');
      expect(c?.keepalive.roundtripMs).toBeGreaterThan(0);
      expect(c?.keepalive.roundtripMs).toBeLessThan(1_000);
      expect(Math.abs((c?.keepalive.lastAnswerAt ?? 0) - regs.readAt)).toBeLessThan(10_000);
    }
    expect(regs.keepaliveHealth).toMatchObject({ observed: true, silent: 0, notYet: 0 });
    // Two unclustered servers not sharing locations; the UAC ping overhead from the count read.
    expect(regs.sharing.mode).toBe('array-isolated');
    expect(regs.keepalive).toMatchObject({ intervalSec: 1, uacPing: true, pingsPerSecond: 5, advice: null });
    expect(regs.keepaliveHealth.summary).toMatch(/^5 contacts answered the last keepalive round \(\d+ s ago, server clock\)\.$/);
  });

  it('looks a user up on the server by name; an unknown user is "not registered", never an error', async () => {
    const alice = await call(app, 'registrations:lookup', { serverId, user: 'alice' });
    expect(alice).toMatchObject({ aor: 'alice', via: 'lookup', serverClock: true });
    expect(alice.contacts.map(port).sort()).toEqual([desk.port, mobile.port].sort());
    expect(alice.contacts.every((c) => c.aor === 'alice' && c.keepalive.state === 'answering')).toBe(true);
    expect(alice.keepaliveHealth).toMatchObject({ observed: true, answering: 2, silent: 0 });
    expect(await call(app, 'registrations:lookup', { serverId, user: 'dave' })).toMatchObject({ aor: null, contacts: [], user: 'dave' });
    expect(await call(app, 'registrations:lookup', { serverId, user: '1001' })).toMatchObject({
      aor: '1001',
      contacts: [{ userAgent: 'SwitchyardLab/1001-desk' }],
    });
    // Shell syntax is a user name like any other: quoted, it reaches kamcmd as text and runs nothing.
    const hostile = '`touch${IFS}/tmp/pwned`;$(id)';
    expect(await call(app, 'registrations:lookup', { serverId, user: hostile })).toMatchObject({ aor: null, user: hostile });
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('refuses bad input naming the field and the server, and changes nothing', async () => {
    for (const user of ['', '   ', 'alice smith', 'x'.repeat(129), 'al\u0000ice']) {
      const result = await app.dispatch('registrations:lookup', { serverId, user });
      expect(result, JSON.stringify(user)).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'user' } });
    }
    expect(await app.dispatch('registrations:lookup', { serverId: 'no-such-server', user: 'alice' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    // Nothing read from Kamailio anywhere: a clear failure naming the server, and what to check.
    const blindRead = await app.dispatch('registrations:for-server', { serverId: blindId });
    expect(blindRead.ok).toBe(false);
    if (!blindRead.ok)
      expect(blindRead.error.message).toMatch(/on reg-blind \(127\.0\.0\.2\) with exit 255: .*kamailio_ctl.*control socket/);
    // The shipped command with kamcmd nowhere to be found: said as such, with what to set.
    const book = defaultRecipeBook();
    if (!book.registrations) throw new Error('the shipped book lost its registrations entry');
    book.registrations = { ...book.registrations, defaults: { ...book.registrations.defaults, kamcmd: 'kamcmd-not-here' } };
    writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
    try {
      const missing = await app.dispatch('registrations:lookup', { serverId, user: 'alice' });
      expect(missing).toMatchObject({
        ok: false,
        error: {
          message: expect.stringMatching(
            /^kamcmd is not installed on reg-sw1 \(127\.0\.0\.1\), .*kamcmd not found: kamcmd-not-here.*set its "kamcmd" default/,
          ),
        },
      });
    } finally {
      rmSync(path.join(data, 'recipes.json'));
    }
    expect((await read()).contactCount).toBe(5);
  });

  it('switchyard registrations on the command line: the table, one user, exit codes', async () => {
    const all = await runCli(['registrations', 'reg-sw1', '--data', data]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^reg-sw1 \(127\.0\.0\.1\): 5 contacts for 4 AoRs\.\n/);
    expect(all.stdout).toMatch(
      /\ncarol\s+sip:carol@127\.0\.0\.1:\d+;transport=UDP\s+\d+ s\s+answering\s+[\d.]+ ms\s+SwitchyardLab\/carol-mobile\n/,
    );
    // Each start of the CLI costs seconds on a loaded machine: the other cases share two runs.
    expect(await runCli(['registrations', '127.0.0.1', '--user', 'dave', '--data', data])).toMatchObject({
      code: 1,
      stdout: 'dave is not registered on reg-sw1 (127.0.0.1).\n',
    });
    expect(await runCli(['registrations', 'reg-sw1', '--user', 'dave smith', '--data', data])).toMatchObject({
      code: 2,
      stderr: 'switchyard: --user: must be a SIP user name: no spaces or control characters.\n',
    });
  });

  it('flags the contacts whose keepalives stopped answering when a phone goes away', async () => {
    await mobile.stop();
    const regs = await until("the mobile phone's two contacts flagged silent", async () => {
      const r = await read();
      return r.keepaliveHealth.silent === 2 ? r : null;
    });
    // Still registered (no ka_timeout here): counted, but silent, and listed first.
    expect(regs).toMatchObject({ contactCount: 5, keepaliveHealth: { observed: true, answering: 3, silent: 2 } });
    expect(
      regs.contacts
        .slice(0, 2)
        .map((c) => [c.aor, port(c), c.keepalive.state])
        .sort(),
    ).toEqual([
      ['alice', mobile.port, 'silent'],
      ['carol', mobile.port, 'silent'],
    ]);
    for (const c of regs.contacts.slice(0, 2)) {
      expect(c.keepalive.silentForSec).toBeGreaterThanOrEqual(3);
      // The last round trip it did answer is kept.
      expect(c.keepalive.roundtripMs).toBeGreaterThan(0);
    }
    expect(regs.contacts.slice(2).every((c) => port(c) === desk.port && c.keepalive.state === 'answering')).toBe(true);
    expect(regs.keepaliveHealth.summary).toContain('2 contacts stopped answering: NAT may have closed the mapping');
    const alice = await call(app, 'registrations:lookup', { serverId, user: 'alice' });
    expect(alice.contacts.map((c) => [port(c), c.keepalive.state]).sort()).toEqual(
      [
        [desk.port, 'answering'],
        [mobile.port, 'silent'],
      ].sort(),
    );
    const cli = await runCli(['registrations', 'reg-sw1', '--user', 'carol', '--json', '--data', data]);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      aor: 'carol',
      contacts: [{ userAgent: 'SwitchyardLab/carol-mobile', keepalive: { state: 'silent' } }],
    });
  });

  it('an older recipe book without the user parameter still answers a lookup, from the whole table', async () => {
    const book = defaultRecipeBook();
    if (!book.registrations) throw new Error('the shipped book lost its registrations entry');
    book.registrations = { ...book.registrations, command: ['{kamcmd}', 'ul.dump'], defaults: { kamcmd: '/usr/sbin/kamcmd' } };
    writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
    try {
      const bob = await call(app, 'registrations:lookup', { serverId, user: 'bob' });
      expect(bob).toMatchObject({ aor: 'bob', via: 'dump', serverClock: false, command: '/usr/sbin/kamcmd ul.dump' });
      expect(bob.contacts.map(port)).toEqual([desk.port]);
      expect((await read()).serverClock).toBe(false);
    } finally {
      rmSync(path.join(data, 'recipes.json'));
    }
  });
});
