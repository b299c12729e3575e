import { readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHost, type HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { runCli } from '../helpers/cli';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { startUacClient, startUpstreamRegistrar, type KamailioProcess, type UacClient } from '../helpers/kamailio-uac';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// UAC Auth end to end with nothing standing in: a real Kamailio (uac module) as the fleet server,
// reached over the real test sshd with the shipped `uac` recipe (only its folder and control socket
// point into the test's folders), registering to a second real Kamailio acting as the upstream
// registrar (registrar + auth, passwords checked in its cfg) on loopback. One upstream has the
// right password (with ":" and "\" in it, which db_text must carry escaped), one a wrong one.

const ALICE_PASSWORD = 'al:ice\\secret';
const BOB_PASSWORD = 'bob-secret';
const BOB_WRONG = 'not-bobs-password';

let sshd: Sshd;
let registrar: KamailioProcess;
let server: UacClient;
let dir: string;
let data: string;
let app: HostApp;
let serverId: string;

const registrarUri = () => `sip:127.0.0.1:${registrar.sipPort}`;

async function runInstall(): Promise<Awaited<ReturnType<typeof getRun>>> {
  const run = await call(app, 'actions:run', { action: 'install', serverIds: [serverId] });
  return until(
    'the install run to end',
    async () => {
      const detail = await getRun(run.id);
      return detail.status === 'running' ? null : detail;
    },
    30_000,
  );
}
const getRun = (id: string) => call(app, 'actions:get-run', { id });

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  registrar = await startUpstreamRegistrar({ alice: ALICE_PASSWORD, bob: BOB_PASSWORD });
  server = await startUacClient(sshd.workDir);
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-uac-'));
  data = mkdtempSync(path.join(dir, 'data-'));
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  const book = defaultRecipeBook();
  if (!book.uac) throw new Error('the shipped book lost its uac entry');
  // No waiting for Kamailio's 150 s between reloads: the refusal itself is under test below.
  book.uac.defaults = { ...book.uac.defaults, dir: server.dbDir, ctl: `tcp:127.0.0.1:${server.ctlPort}`, reloadWaitSec: '0' };
  // The load poll's own probe (load, calls, apt-get's pending updates: many seconds) is not under
  // test: the registrations are read after each poll whatever it found.
  book.probes.load = { ...book.probes.load, command: ['true'] };
  writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
  app = openTestHost(data, Date.now);
  const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
  const base = draft(zone.id, { ip: '127.0.0.1', alias: 'lab-sw1' });
  const created = await call(app, 'fleet:create-server', {
    ...base,
    config: { ...base.config, uacAuth: true },
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: sshFixture('user_ed25519'), jumpHost: null },
  });
  serverId = created.id;
  // The install script itself is not under test: a program every server has.
  await call(app, 'actions:set-install-command', { serverId, command: '/bin/true' });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await server?.stop();
  await registrar?.stop();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('UAC Auth upstream registrations on real Kamailio', () => {
  it('refuses bad input naming the server and the field, and saves nothing', async () => {
    const bad = call(app, 'uac:set-upstreams', {
      serverId,
      upstreams: [
        { registrar: registrarUri(), username: 'alice', expiry: 120, password: ALICE_PASSWORD },
        { registrar: 'http://provider.example', username: 'bob', expiry: 30, password: BOB_WRONG },
      ],
    });
    await expect(bad).rejects.toMatchObject({ error: { field: 'upstreams.1.registrar' } });
    await expect(bad).rejects.toThrow(
      /^UAC upstreams of lab-sw1 \(127\.0\.0\.1\): upstream 2: registrar "http:\/\/provider\.example" is not a SIP URI/,
    );
    await expect(
      call(app, 'uac:set-upstreams', { serverId, upstreams: [{ registrar: registrarUri(), username: 'alice', expiry: 120 }] }),
    ).rejects.toMatchObject({
      error: { field: 'upstreams.0.password' },
    });
    const view = await call(app, 'uac:get', { serverId });
    expect(view.upstreams).toEqual([]);
    expect((await call(app, 'fleet:get-server', { id: serverId })).installRecommended).toBe(false);
  });

  it('Install pushes the upstreams; the right password registers, the wrong one shows not registered with the reason', async () => {
    const saved = await call(app, 'uac:set-upstreams', {
      serverId,
      upstreams: [
        { registrar: registrarUri(), username: 'alice', expiry: 120, password: ALICE_PASSWORD },
        { registrar: `127.0.0.1:${registrar.sipPort}`, username: 'bob', expiry: 120, password: BOB_WRONG },
      ],
    });
    expect(saved.upstreams.map((u) => [u.username, u.passwordSet])).toEqual([
      ['alice', true],
      ['bob', true],
    ]);
    expect((await call(app, 'fleet:get-server', { id: serverId })).installRecommended).toBe(true);
    // The Install dialog says what will happen to them before anything runs.
    const plan = await call(app, 'actions:plan', { action: 'install', serverIds: [serverId] });
    expect(plan.warnings).toContain(
      'lab-sw1: after the install, UAC Auth pushes 2 upstream registrations into Kamailio and reloads its uac module.',
    );

    const run = await runInstall();
    const result = run.results[0];
    expect(run.status, result?.error ?? '').toBe('succeeded');
    expect(result?.output).toContain('UAC Auth: pushing 2 upstream registrations to lab-sw1 (127.0.0.1)');
    expect(result?.output).toMatch(/reloaded its upstream registrations \(2 registrations in Kamailio\)/);
    expect(result?.output).not.toContain(ALICE_PASSWORD);
    expect(result?.output).not.toContain(BOB_WRONG);
    expect((await call(app, 'fleet:get-server', { id: serverId })).installRecommended).toBe(false);
    // The server needs the passwords: they are in its file, escaped for db_text.
    expect(readFileSync(path.join(server.dbDir, 'uacreg'), 'utf8')).toContain('al\\:ice\\\\secret');

    const view = await until(
      'alice registered and bob given up on',
      async () => {
        const v = await call(app, 'uac:status', { serverId });
        const states = v.status.upstreams.map((u) => u.state);
        return states[0] === 'registered' && states[1] === 'failed' ? v : null;
      },
      20_000,
    );
    expect(view.status.error).toBeNull();
    expect(view.status.command).toContain('switchyard-uac-dump');
    const [alice, bob] = view.status.upstreams;
    expect(alice).toMatchObject({ username: 'alice', reason: null, stale: false });
    expect(alice?.refreshInSec).toBeGreaterThan(0);
    expect(bob?.reason).toMatch(/wrong username or password/);
    // The registrar holds alice's contact (the uac Contact user is Switchyard's id), and no bob.
    const location = registrar.kamcmd('ul.dump');
    expect(location).toContain(`sip:${alice?.upstreamId}@127.0.0.1:${server.sipPort}`);
    expect(location).not.toMatch(/AoR: bob/);
    expect(server.logs()).toContain(`authentication failed for <${bob?.upstreamId}>`);

    const findings = await call(app, 'platform:advise', {});
    const ours = findings.filter((f) => f.rule === 'uac-not-registered');
    expect(ours.map((f) => f.severity)).toEqual(['error']);
    expect(ours[0]?.message).toMatch(/^lab-sw1 is not registered to upstream bob at 127\.0\.0\.1:\d+: Kamailio gave up/);

    // The CLI reads the same live state and says it in words; exit 1 because bob is not registered.
    const cli = await runCli(['uac', 'lab-sw1', '--data', data]);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/^lab-sw1 \(127\.0\.0\.1\): UAC Auth on, 2 upstreams\./);
    expect(cli.stdout, cli.stdout).toMatch(/REGISTRAR\s+USERNAME\s+EXPIRY\s+STATE\s+WHY\n/);
    expect(cli.stdout, cli.stdout).toMatch(/alice\s+120 s\s+Registered \(renews in \d+ s\)\n/);
    expect(cli.stdout, cli.stdout).toMatch(/bob\s+120 s\s+Not registered\s+Kamailio gave up on it/);
    expect(cli.stdout).toContain('1 of 2 not registered.');
    expect(cli.stdout).not.toContain(BOB_WRONG);
  }, 90_000);

  it('never writes a password into the database, and keeps them out of the fleet export', async () => {
    const db =
      readFileSync(path.join(data, 'switchyard.db')).toString('latin1') +
      (existsSync(path.join(data, 'switchyard.db-wal')) ? readFileSync(path.join(data, 'switchyard.db-wal')).toString('latin1') : '');
    expect(db).toContain('alice');
    for (const secret of [ALICE_PASSWORD, BOB_WRONG]) expect(db).not.toContain(secret);
    const exported = await call(app, 'fleet:export', { format: 'json' });
    for (const secret of [ALICE_PASSWORD, BOB_WRONG]) expect(exported.text).not.toContain(secret);
    const file = JSON.parse(exported.text) as { servers: { alias: string; uacUpstreams: unknown[] }[] };
    expect(file.servers.find((s) => s.alias === 'lab-sw1')?.uacUpstreams).toEqual([
      { registrar: registrarUri(), username: 'alice', expiry: 120 },
      { registrar: `127.0.0.1:${registrar.sipPort}`, username: 'bob', expiry: 120 },
    ]);

    // Imported elsewhere: the fields arrive, the passwords have to be set again there.
    const other = openTestHost(mkdtempSync(path.join(dir, 'other-')), Date.now);
    try {
      await call(other, 'fleet:import', { format: 'json', text: exported.text });
      const imported = (await call(other, 'fleet:list-servers', {})).find((s) => s.alias === 'lab-sw1');
      const view = await call(other, 'uac:get', { serverId: imported?.id ?? '' });
      expect(view.upstreams.map((u) => [u.username, u.expiry, u.passwordSet])).toEqual([
        ['alice', 120, false],
        ['bob', 120, false],
      ]);
      // A password in a file is not something an export writes: an import refuses it, and the bad registrar names its record and field.
      const withPassword = exported.text.replace('"username": "alice",', '"username": "alice", "password": "x",');
      await expect(call(other, 'fleet:import', { format: 'json', text: withPassword })).rejects.toThrow(/uacUpstreams/);
      const badRegistrar = exported.text
        .replace(`"registrar": "${registrarUri()}"`, '"registrar": "http://nope"')
        .replace(/lab-sw1/g, 'lab-sw9')
        .replace(/"ip": "127\.0\.0\.1"/, '"ip": "127.0.0.9"');
      await expect(call(other, 'fleet:import', { format: 'json', text: badRegistrar })).rejects.toThrow(
        /uacUpstreams\.0\.registrar: registrar "http:\/\/nope" is not a SIP URI.*Nothing was imported/s,
      );
      expect((await call(other, 'fleet:list-servers', {})).map((s) => s.alias)).toEqual(['lab-sw1']);
    } finally {
      await other.close();
    }
  });

  it('a reload Kamailio refuses (a second one within 150 s) fails the install and puts the previous file back', async () => {
    const before = readFileSync(path.join(server.dbDir, 'uacreg'), 'utf8');
    const view = await call(app, 'uac:get', { serverId });
    const bob = view.upstreams[1];
    await call(app, 'uac:set-upstreams', {
      serverId,
      upstreams: view.upstreams.map((u) => ({
        id: u.id,
        registrar: u.registrar,
        username: u.username,
        expiry: u.expiry,
        ...(u.id === bob?.id ? { password: BOB_PASSWORD } : {}),
      })),
    });
    const run = await runInstall();
    expect(run.status).toBe('failed');
    expect(run.results[0]?.error).toMatch(
      /^Kamailio on lab-sw1 \(127\.0\.0\.1\) refused to reload its upstream registrations \(kamcmd uac\.reg_reload: error: 500 - Failed to shift records.*The previous file was put back/,
    );
    expect(readFileSync(path.join(server.dbDir, 'uacreg'), 'utf8')).toBe(before);
    // The change is still to be installed.
    expect((await call(app, 'fleet:get-server', { id: serverId })).installRecommended).toBe(true);
  }, 40_000);

  it('the load poll reads the registrations on its own schedule, and keeps them for the advisor', async () => {
    const before = (await call(app, 'uac:get', { serverId })).status.readAt ?? 0;
    const polling = openHost({ dataDir: data, clock: Date.now, log: () => {}, actions: { background: true, loadIntervalMs: 500 } });
    try {
      const read = await until(
        'a poll to read the registrations',
        async () => {
          const status = polling.store.uac.status(serverId);
          return status !== null && (status.readAt ?? 0) > before ? status : null;
        },
        20_000,
      );
      expect(read.upstreams.map((u) => u.state)).toEqual(['registered', 'failed']);
    } finally {
      await polling.close();
    }
  }, 40_000);

  it('removing the last upstream sends the server the empty list (it had some), so it stops registering', async () => {
    await call(app, 'uac:set-upstreams', { serverId, upstreams: [] });
    const plan = await call(app, 'actions:plan', { action: 'install', serverIds: [serverId] });
    expect(plan.warnings.join(' ')).toContain('UAC Auth pushes an empty upstream list');
    const run = await runInstall();
    const result = run.results[0];
    expect(result?.output).toContain(
      'UAC Auth: pushing 0 upstream registrations to lab-sw1 (127.0.0.1) (none: Kamailio stops registering upstream)',
    );
    // Still within Kamailio's 150 s of the first reload: refused, and the file Kamailio runs is kept.
    expect(result?.error).toMatch(/refused to reload/);
    expect(readFileSync(path.join(server.dbDir, 'uacreg'), 'utf8')).toContain('al\\:ice');
  }, 40_000);
});
