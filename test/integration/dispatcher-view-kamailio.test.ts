import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatcherView } from '../../src/contract/dispatcher-methods';
import type { EventPayload } from '../../src/contract/events';
import type { Server, ServerType } from '../../src/contract/fleet';
import { openHost, type HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { seedKnownHosts } from '../helpers/actions-fixtures';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { kamcmd, startDispatcher, startOptionsResponder, startSwitch, type Peer } from '../helpers/kamailio-calls';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// The dispatcher's own view of its switches, beside Switchyard's own probes. A real Kamailio runs
// the dispatcher module on 127.0.84.1 and probes its destinations every second; a second real
// Kamailio plays the switches on 127.0.84.11–13, answering OPTIONS to everyone (.11), to everyone
// but the dispatcher (.12: a firewall between them), or only to the dispatcher (.13: a firewall
// between Switchyard and it); nothing answers on .14 (the silent one), SIPp answers on .15, and
// .16 is a destination outside the fleet. Switchyard probes the fleet live (monitoring on), reads
// the dispatcher's list over the real test sshd with the real kamcmd on the load poll's schedule
// (every 2 s here) and when asked, and the advisor compares the two.

const LB = '127.0.84.1';
const made: string[] = [];
let sshd: Sshd;
let app: HostApp;
let recipesFile: string;
let sw: Peer;
let lb: Peer;
let sipp: Peer;
let port: number;
let dispatcher: Server;
const switches = new Map<string, Server>();
const usagePushes: EventPayload<'load:usage'>[] = [];

/** The shipped book with only the defaults of the load probe and the dispatcher command set. */
function writeBook(dispatcherDefaults: Record<string, string>): void {
  const book = defaultRecipeBook();
  const dispatcherRecipe = book.dispatcher;
  if (!dispatcherRecipe) throw new Error('the shipped book reads dispatchers');
  writeFileSync(
    recipesFile,
    JSON.stringify({
      ...book,
      probes: { load: { ...book.probes.load, defaults: { kamcmd: '/usr/sbin/kamcmd', ctl: lb.ctl } } },
      dispatcher: { ...dispatcherRecipe, defaults: { ...dispatcherRecipe.defaults, ...dispatcherDefaults } },
    }),
  );
}

async function addServer(zoneId: string, ip: string, alias: string, type: ServerType): Promise<Server> {
  const base = draft(zoneId, { ip, alias, type, channels: 100, cps: 50 });
  return call(app, 'fleet:create-server', {
    ...base,
    config: { ...base.config, ports: { udp: port, tcp: port, tls: 5061 } },
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  });
}

const read = (serverId = dispatcher.id) => call(app, 'dispatcher:read-view', { serverId });
const byUri = (view: DispatcherView, host: string) => view.destinations.find((d) => d.uri.includes(`${host}:`));
const status = async (id: string) => (await call(app, 'monitoring:latest', { serverIds: [id] }))[0]?.status;

beforeAll(async () => {
  port = await freePort();
  const lbPort = await freePort();
  sw = await startSwitch({
    addresses: { '127.0.84.11': 'all', '127.0.84.12': 'not-dispatcher', '127.0.84.13': 'only-dispatcher' },
    port,
    callee: { host: '127.0.0.1', port: 9 },
    dispatcherAddress: LB,
  });
  sipp = startOptionsResponder('127.0.84.15', port);
  lb = await startDispatcher({
    address: LB,
    port: lbPort,
    destinations: [
      `1 sip:127.0.84.11:${port} 0 0 weight=50`,
      `1 sip:127.0.84.12:${port} 0 0 weight=50`,
      `1 sip:127.0.84.13:${port} 0 0`,
      `1 sip:127.0.84.14:${port} 0 0`,
      `2 sip:127.0.84.15:${port} 0 10 duid=sipp`,
      `2 sip:127.0.84.16:${port} 0 5`,
    ],
  });
  sshd = await startSshd({ addresses: [LB] });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-dispatcher-'));
  made.push(dataDir);
  recipesFile = path.join(dataDir, 'recipes.json');
  writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: lb.ctl });
  seedKnownHosts(dataDir, sshd.addresses, sshd.port);
  app = openHost({ dataDir, monitoring: true, log: () => {}, actions: { recipesFile, background: true, loadIntervalMs: 2_000 } });
  app.events.on((name, payload) => name === 'load:usage' && usagePushes.push(payload as EventPayload<'load:usage'>));
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  dispatcher = await addServer(zone.id, LB, 'lb-01', 'dispatcher');
  for (const n of [11, 12, 13, 14, 15]) switches.set(`127.0.84.${n}`, await addServer(zone.id, `127.0.84.${n}`, `sw-${n}`, 'switch'));
  // The dispatcher's own keepalives have settled: .12 and .14 inactive, the rest active.
  await until(
    'the dispatcher to mark the silent destinations inactive',
    async () => {
      const list = (await kamcmd(lb, 'dispatcher.list')).stdout;
      const flags = (host: string) => new RegExp(`URI: sip:${host.replace(/\./g, '\\.')}:${port}\\s+FLAGS: (\\w+)`).exec(list)?.[1];
      return (
        flags('127.0.84.11') === 'AP' &&
        flags('127.0.84.12') === 'IP' &&
        flags('127.0.84.13') === 'AP' &&
        flags('127.0.84.14') === 'IP' &&
        flags('127.0.84.16') === 'IP'
      );
    },
    20_000,
  );
  // And Switchyard's own probes have a verdict on each switch.
  await until(
    'Switchyard to see .12 answering and .13 down',
    async () => (await status(switches.get('127.0.84.12')!.id)) === 'online' && (await status(switches.get('127.0.84.13')!.id)) === 'down',
    30_000,
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
  await lb?.stop();
  await sipp?.stop();
  await sw?.stop();
  await sshd?.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("the dispatcher's own view beside Switchyard's probes", { timeout: 90_000 }, () => {
  it("is read on the load poll's schedule, with no one asking", async () => {
    const view = await until(
      'a view read by the load poll',
      async () => {
        const v = await call(app, 'dispatcher:get-view', { serverId: dispatcher.id });
        return v.readAt !== null && v.destinations.length === 6 ? v : null;
      },
      40_000,
    );
    expect(view.error).toBeNull();
    expect(view.command).toMatch(/switchyard-dispatcher-list/);
    // The same poll pushed the dispatcher's live calls to the fleet table.
    await until('a usage push for the dispatcher', () => usagePushes.some((p) => p.servers.some((u) => u.serverId === dispatcher.id)));
  });

  it('lists every destination with its flags and latency, matched to the fleet by address and port', async () => {
    const view = await read();
    expect(view.error).toBeNull();
    expect(view.destinations.map((d) => [d.setId, d.match?.alias ?? null, d.state, d.probing])).toEqual([
      [2, 'sw-15', 'active', true],
      [2, null, 'inactive', true],
      [1, 'sw-14', 'inactive', true],
      [1, 'sw-13', 'active', true],
      [1, 'sw-12', 'inactive', true],
      [1, 'sw-11', 'active', true],
    ]);
    const answering = byUri(view, '127.0.84.11');
    // Kamailio times each keepalive in whole milliseconds, so on loopback the average of the
    // answered ones is often 0 (0.222 when two of nine took 1 ms): read, not necessarily above 0.
    expect(answering?.latency?.avgMs).toBeGreaterThanOrEqual(0);
    expect(answering?.latency?.maxMs).toBeGreaterThanOrEqual(answering?.latency?.avgMs ?? Infinity);
    expect(answering?.latency?.timeouts).toBe(0);
    expect(answering).toMatchObject({ attrs: 'weight=50', weight: 50, flags: 'AP' });
    expect(byUri(view, '127.0.84.14')?.latency?.timeouts).toBeGreaterThan(0);
    expect(byUri(view, '127.0.84.15')).toMatchObject({ priority: 10, attrs: 'duid=sipp' });
  });

  it('says where the dispatcher and Switchyard disagree, and agrees where they do', async () => {
    const view = await read();
    const row = (n: number) => byUri(view, `127.0.84.${n}`);
    expect(row(11)).toMatchObject({ ours: { status: 'online', sipCode: 200 }, disagreement: null });
    expect(row(12)).toMatchObject({ state: 'inactive', ours: { status: 'online' }, disagreement: 'inactive-but-answering' });
    expect(row(13)).toMatchObject({ state: 'active', ours: { status: 'down' }, disagreement: 'active-but-down' });
    expect(row(14)).toMatchObject({ state: 'inactive', ours: { status: 'down' }, disagreement: null });
    expect(row(16)).toMatchObject({ match: null, ours: null, disagreement: null });
  });

  it('the advisor raises both disagreements, naming the dispatcher and the switch', async () => {
    const findings = (await call(app, 'platform:advise', {})).filter((f) => f.rule === 'dispatcher-disagrees');
    expect(findings.map((f) => [f.severity, f.servers.map((s) => s.alias)])).toEqual([
      ['error', ['lb-01', 'sw-13']],
      ['warning', ['lb-01', 'sw-12']],
    ]);
    expect(findings[1]?.message).toMatch(
      /^lb-01 marks sw-12 \(sip:127\.0\.84\.12:\d+, set 1\) inactive, while Switchyard's probes see it answering \(SIP 200 in [\d.]+ ms\)\.$/,
    );
  });

  it('a destination the operator disabled is shown as disabled', async () => {
    expect((await kamcmd(lb, 'dispatcher.set_state', 'd', '2', `sip:127.0.84.16:${port}`)).code).toBe(0);
    expect(byUri(await read(), '127.0.84.16')).toMatchObject({ flags: 'DX', state: 'disabled', probing: false });
  });

  it('a switch has no destinations to read', async () => {
    const result = await app.dispatch('dispatcher:read-view', { serverId: switches.get('127.0.84.11')!.id });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'serverId',
        message: 'sw-11 (127.0.84.11) is a switch: only a dispatcher has destination sets to read.',
      },
    });
  });
});

describe('reads that fail: a clear message naming the server, the last good read kept as it was', { timeout: 90_000 }, () => {
  // A host of its own with no background work, so no load poll reads the dispatcher in between.
  let quiet: HostApp;
  let lb1: Server;
  let good: DispatcherView;
  const readQuiet = () => call(quiet, 'dispatcher:read-view', { serverId: lb1.id });
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-dispatcher-quiet-'));
    made.push(dataDir);
    seedKnownHosts(dataDir, sshd.addresses, sshd.port);
    quiet = openHost({ dataDir, log: () => {}, actions: { recipesFile } });
    const zone = await call(quiet, 'fleet:create-zone', { name: 'Loopback', description: '' });
    const base = draft(zone.id, { ip: LB, alias: 'lb-01', type: 'dispatcher' });
    lb1 = await call(quiet, 'fleet:create-server', {
      ...base,
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    });
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: lb.ctl });
    good = await readQuiet();
    expect(good.error).toBeNull();
    expect(good.destinations).toHaveLength(6);
  });
  afterAll(async () => {
    await quiet?.close();
  });

  const expectFailure = async (message: RegExp) => {
    const view = await readQuiet();
    expect(view.error).toMatch(message);
    expect(view.errorAt).toBeGreaterThanOrEqual(good.readAt ?? 0);
    // Nothing from the failed read was kept: the destinations and their time are the last good read's.
    expect(view.readAt).toBe(good.readAt);
    expect(view.destinations.map((d) => [d.uri, d.flags])).toEqual(good.destinations.map((d) => [d.uri, d.flags]));
    expect((await call(quiet, 'dispatcher:get-view', { serverId: lb1.id })).error).toMatch(message);
  };

  it('a Kamailio with no dispatcher module loaded', async () => {
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: sw.ctl });
    await expectFailure(
      /^lb-01 \(127\.0\.84\.1\) has no dispatcher module loaded: Kamailio answered "500 - command dispatcher\.list not found": the dispatcher module is not loaded\./,
    );
  });

  it("kamcmd missing (neither at the path the book names nor on the SSH user's PATH)", async () => {
    writeBook({ kamcmd: '/opt/none/kamcmd' });
    await expectFailure(/^kamcmd is not installed on lb-01 \(127\.0\.84\.1\), or not on the SSH user's PATH/);
  });

  it('a control socket that refuses the connection', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-stale-ctl-'));
    made.push(dir);
    const socket = path.join(dir, 'kamailio_ctl');
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', socket]);
    execFileSync('chmod', ['0777', dir, socket]);
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${socket}` });
    await expectFailure(
      /^kamcmd could not reach Kamailio's control socket on lb-01 \(127\.0\.84\.1\): ERROR: connect_unix_sock: connect\(.*\): Connection refused \[111\]/,
    );
  });

  it('garbage output', async () => {
    // /bin/echo in kamcmd's place prints its arguments back.
    writeBook({ kamcmd: '/bin/echo', ctl: '' });
    await expectFailure(
      /^The output of dispatcher\.list on lb-01 \(127\.0\.84\.1\) cannot be read: Line 1 is not "Key: value": "dispatcher\.list" Nothing was kept from it\.$/,
    );
  });

  it('a good read replaces the failure', async () => {
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: lb.ctl });
    const view = await readQuiet();
    expect(view).toMatchObject({ error: null, errorAt: null });
    expect(view.readAt).toBeGreaterThan(good.readAt ?? 0);
  });
});
