import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import type { HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { dialogStats, startCallee, startCaller, startSwitch, type Peer } from '../helpers/kamailio-calls';
import { openLoadPollLab, type LoadPollLab } from '../helpers/load-poll-lab';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// Live calls and the call rate, read by the shipped load recipe over the real test sshd with the
// real kamcmd, from a real Kamailio that tracks dialogs (dlg_manage) and relays real SIPp calls to
// a SIPp callee. The recipe runs unchanged: the test's recipe file only sets its defaults, the
// Kamailio control socket and kamcmd's path (/usr/sbin is not on the test user's PATH).
//
// Addresses: 127.0.83.1 is the switch carrying calls (Kamailio listens there, and so does sshd),
// 127.0.83.2 a second switch of the same cluster failing over to it, 127.0.83.3 a switch whose
// Kamailio has no dialog module.

const SWITCH = '127.0.83.1';
const PEER = '127.0.83.2';
const BARE = '127.0.83.3';
const made: string[] = [];
let sshd: Sshd;
let lab: LoadPollLab;
let app: HostApp;
let recipesFile: string;
let sip: Peer;
let bare: Peer;
let callee: Peer;
const callers: Peer[] = [];
let sw: Server;
let peer: Server;
let bareServer: Server;

/** The shipped book, with only the load probe's defaults (and the dispatcher's) set for this test. */
function writeBook(defaults: Record<string, string>): void {
  const book = defaultRecipeBook();
  writeFileSync(
    recipesFile,
    JSON.stringify(
      { ...book, probes: { load: { ...book.probes.load, defaults: { ...book.probes.load.defaults, ...defaults } } } },
      null,
      2,
    ),
  );
}

async function addSwitch(
  app: HostApp,
  zoneId: string,
  ip: string,
  alias: string,
  port: number,
  clusterId: string | null,
  failoverTo: string | null,
  cps = 50,
): Promise<Server> {
  const base = draft(zoneId, { ip, alias, type: 'switch', channels: 100, cps, clusterId });
  return call(app, 'fleet:create-server', {
    ...base,
    config: {
      ...base.config,
      ports: { udp: port, tcp: port, tls: 5061 },
      capacityFailover: { enabled: failoverTo !== null, targetId: failoverTo },
    },
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  });
}

const poller = () => lab.wiring.handlerDeps.loads;
const latest = (serverId: string) => poller().history(serverId).samples.at(-1);

beforeAll(async () => {
  const sipPort = await freePort();
  const calleePort = await freePort();
  callee = startCallee('127.0.0.1', calleePort);
  sip = await startSwitch({
    addresses: { [SWITCH]: 'all', [PEER]: 'all' },
    port: sipPort,
    callee: { host: '127.0.0.1', port: calleePort },
  });
  bare = await startSwitch({
    addresses: { [BARE]: 'all' },
    port: sipPort,
    callee: { host: '127.0.0.1', port: calleePort },
    trackDialogs: false,
  });
  sshd = await startSshd({ addresses: [SWITCH, PEER, BARE] });
  // The poller as the host builds it, on the host's store, driven by the test with pollOnce.
  lab = await openLoadPollLab({
    sshd,
    prefix: 'switchyard-calls-',
    writeRecipes: (file) => {
      recipesFile = file;
      writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: sip.ctl });
    },
    throttleMs: 20,
    seed: async (host) => {
      const zone = await call(host, 'fleet:create-zone', { name: 'Loopback', description: '' });
      const cluster = await call(host, 'fleet:create-cluster', { name: 'core', description: '' });
      sw = await addSwitch(host, zone.id, SWITCH, 'sw-calls', sipPort, cluster.id, null);
      peer = await addSwitch(host, zone.id, PEER, 'sw-peer', sipPort, cluster.id, sw.id);
      bareServer = await addSwitch(host, zone.id, BARE, 'sw-bare', sipPort, null, null);
    },
  });
  app = lab.app;
}, 60_000);

afterAll(async () => {
  await lab?.close();
  for (const p of callers) await p.stop();
  await callee?.stop();
  await sip?.stop();
  await bare?.stop();
  await sshd?.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// Each poll runs the whole shipped recipe, `apt-get -s upgrade` included: seconds on a busy machine.
describe('live calls from a real Kamailio carrying SIPp calls', { timeout: 120_000 }, () => {
  it('counts the calls held open, exactly', async () => {
    callers.push(
      startCaller({
        from: '127.0.0.1',
        port: await freePort(),
        to: `${SWITCH}:${sw.config.ports.udp}`,
        calls: 12,
        rate: 12,
        holdMs: 600_000,
      }),
    );
    // Kamailio's own count, asked directly: all twelve answered and held.
    await until('12 calls up on the switch', async () => (await dialogStats(sip))['active_dialogs'] === 12);
    expect(await poller().pollOnce(sw.id)).toMatchObject({ ok: true });
    expect(latest(sw.id)).toMatchObject({ channels: 12, ringing: 0, callsError: null });
    const usage = await call(app, 'load:list-usage', {});
    expect(usage.servers.find((u) => u.serverId === sw.id)).toMatchObject({
      channelsInUse: 12,
      ringing: 0,
      callsError: null,
      pollError: null,
    });
  });

  it('measures a known call rate between two polls', async () => {
    callers.push(
      startCaller({
        from: '127.0.0.1',
        port: await freePort(),
        to: `${SWITCH}:${sw.config.ports.udp}`,
        calls: 100_000,
        rate: 10,
        holdMs: 2_000,
      }),
    );
    // The caller is up once Kamailio has counted its first calls; then two polls some seconds apart.
    const start = (await dialogStats(sip))['processed_dialogs'] ?? 0;
    await until('the caller to start', async () => ((await dialogStats(sip))['processed_dialogs'] ?? 0) >= start + 10);
    await poller().pollOnce(sw.id);
    const first = app.store.serverLoad.latest(sw.id, 0, Date.now());
    await until(
      'about five seconds of calls',
      async () => ((await dialogStats(sip))['processed_dialogs'] ?? 0) >= (first?.calls?.processed ?? 0) + 50,
      30_000,
    );
    await poller().pollOnce(sw.id);
    const second = app.store.serverLoad.latest(sw.id, 0, Date.now());
    if (!first?.calls || !second?.calls) throw new Error('both polls should have read the dialog counter');
    // Exactly the counter's growth over the server's own clock between the two reads...
    const expected = (second.calls.processed - first.calls.processed) / (second.calls.clockSec - first.calls.clockSec);
    expect(second.cps).toBeCloseTo(expected, 1);
    // ...which is the rate SIPp sends at.
    expect(second.cps).toBeGreaterThan(8.5);
    expect(second.cps).toBeLessThan(11.5);
    expect(latest(sw.id)?.cps).toBe(second.cps);
    // Channels in use now include the short calls in flight; still read, never a guess.
    expect(second.channels).toBeGreaterThanOrEqual(12);
  });

  it('failover and the advisor use the measured calls per second', async () => {
    // sw-calls carries about 10 CPS: with a limit of 8 it is full, and its peer's failover target is full.
    await call(app, 'fleet:update-server', {
      id: sw.id,
      draft: { ...editable(await call(app, 'fleet:get-server', { id: sw.id })), cps: 8 },
    });
    const paths = await call(app, 'platform:failover', {});
    const ofPeer = paths.find((p) => p.server.id === peer.id);
    expect(ofPeer?.warnings.map((w) => w.code)).toEqual(['target-full']);
    expect(ofPeer?.warnings[0]?.message).toMatch(/Failover target sw-calls is itself at capacity \(\d+(\.\d+)? of 8 CPS\)/);
    expect(ofPeer?.targetCps).toBeGreaterThan(8);
    const findings = await call(app, 'platform:advise', {});
    const atCapacity = findings.find((f) => f.rule === 'capacity-in-use' && f.servers[0]?.id === sw.id);
    expect(atCapacity?.message).toMatch(/^sw-calls is at capacity \(\d+ of 100 channels in use, \d+(\.\d+)? of 8 calls per second\)/);
  });
});

describe('calls that cannot be read: a clear message naming the server, nothing stored wrongly', { timeout: 120_000 }, () => {
  const expectNoCalls = async (serverId: string, message: RegExp) => {
    expect(await poller().pollOnce(serverId)).toMatchObject({ ok: true });
    const sample = latest(serverId);
    // The load itself is read and kept; calls are unknown, not zero.
    expect(sample?.memTotalKb).toBeGreaterThan(0);
    expect(sample).toMatchObject({ channels: null, ringing: null, cps: null });
    expect(sample?.callsError).toMatch(message);
    const usage = await call(app, 'load:list-usage', {});
    expect(usage.servers.find((u) => u.serverId === serverId)?.callsError).toMatch(message);
  };

  it('a Kamailio without the dialog module', async () => {
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: bare.ctl });
    await expectNoCalls(
      bareServer.id,
      /^Calls on sw-bare \(127\.0\.83\.3\) could not be read: Kamailio has no dialog statistics: the dialog module is not loaded/,
    );
  });

  it("kamcmd missing (neither at the path the book names nor on the SSH user's PATH)", async () => {
    writeBook({ kamcmd: '/opt/none/kamcmd', ctl: sip.ctl });
    await expectNoCalls(
      peer.id,
      /^Calls on sw-peer \(127\.0\.83\.2\) could not be read: kamcmd is not installed, or not on the SSH user's PATH/,
    );
  });

  it('a control socket that refuses the connection', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-stale-ctl-'));
    made.push(dir);
    const socket = path.join(dir, 'kamailio_ctl');
    // A socket file nobody listens on: what a crashed Kamailio leaves behind.
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', socket]);
    execFileSync('chmod', ['0777', dir, socket]);
    writeBook({ kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${socket}` });
    await expectNoCalls(
      peer.id,
      new RegExp(
        `could not be read: kamcmd could not reach Kamailio's control socket: .*connect\\(${socket.replace(/[.]/g, '\\.')}\\): Connection refused`,
      ),
    );
  });

  it('a kamcmd that prints something else', async () => {
    // /bin/echo in kamcmd's place answers every request with the request itself.
    writeBook({ kamcmd: '/bin/echo', ctl: '' });
    await expectNoCalls(
      peer.id,
      /could not be read: Kamailio's dialog statistics could not be read \(kamcmd said: stats\.get_statistics dialog:\)/,
    );
  });
});

function editable(s: Server) {
  const { id: _id, status: _status, installRecommended: _ir, updatePending: _up, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}
