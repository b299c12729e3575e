import dgram from 'node:dgram';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import type { VantageSourceStatus } from '../../src/contract/vantage-methods';
import { openHost, type HostApp } from '../../src/host/app';
import { connect } from '../../src/services/ssh/connect';
import { KIND_CODE } from '../../src/services/store/sample-kinds';
import { runSipLoop } from '../../src/services/vantage/sip-loop';
import { seedKnownHosts } from '../helpers/actions-fixtures';
import { call, draft } from '../helpers/fleet-fixtures';
import { HOSTILE_ARGS } from '../helpers/hostile-args';
import { startKamailio, type Kamailio } from '../helpers/kamailio';
import { clientSetup, keyTarget } from '../helpers/ssh-client';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// SIP OPTIONS from a vantage point, against real peers: the dispatcher is a real sshd on
// 127.0.95.1 whose session runs the real sipsak (and fping); one switch is a real Kamailio on
// 127.0.0.1 answering OPTIONS on its UDP port, the other a UDP socket on 127.0.95.12 that reads
// and never answers (a silent SIP server, not a closed port). An RTP server is ICMP only.
// Two more dispatchers show the other senders: lb-sip-2 (127.0.95.2) has a `sipsak` that is really
// echo (its lines are unreadable: counted, ignored, the stream runs on), lb-nosip (127.0.95.3) has
// no sipsak at all (ICMP only, and the status says why).

const LB = '127.0.95.1';
const SHIM = '127.0.95.2';
const NOSIP = '127.0.95.3';
const SILENT = '127.0.95.12';
const RTP = '127.0.95.21';

let dir: string;
let app: HostApp;
let kamailio: Kamailio;
let silent: dgram.Socket;
let received = 0;
const sshds: Sshd[] = [];
let lb: Server;
let answering: Server;
let mute: Server;

const status = async (ip = LB): Promise<VantageSourceStatus | undefined> =>
  (await call(app, 'vantage:status', {})).sources.find((s) => s.ip === ip);

/** Shells running our SIP loop (its argv names it), found in /proc. */
function sipLoops(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
        return argv[0] === 'sh' && argv.includes('switchyard-sip') && argv.some((a) => a.includes('127.0.95.'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-vantage-sip-'));
  chmodSync(dir, 0o755);
  kamailio = await startKamailio();
  silent = dgram.createSocket('udp4');
  silent.on('message', () => (received += 1));
  await new Promise<void>((resolve) => silent.bind(0, SILENT, resolve));
  const sshd = await startSshd({ addresses: [LB] });
  sshds.push(sshd);
  // For the quoting check only: a PATH where `sipsak` is coreutils' echo, so what the loop hands
  // sipsak comes back as text. The real sipsak would look each hostile "host" up in DNS, which a
  // test must not do; the real sipsak is what the stream above runs.
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { mode: 0o755 });
  for (const tool of ['sh', 'head', 'tr', 'sleep', 'env', 'fping']) symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
  symlinkSync('/usr/bin/echo', path.join(bin, 'sipsak'));
  sshds.push(await startSshd({ addresses: [SHIM], port: sshd.port, extraConfig: [`SetEnv PATH=${bin}`] }));
  const noSipsak = path.join(dir, 'bin-no-sipsak');
  mkdirSync(noSipsak, { mode: 0o755 });
  for (const tool of ['sh', 'head', 'env', 'fping']) symlinkSync(`/usr/bin/${tool}`, path.join(noSipsak, tool));
  sshds.push(await startSshd({ addresses: [NOSIP], port: sshd.port, extraConfig: [`SetEnv PATH=${noSipsak}`] }));
  const data = path.join(dir, 'data');
  seedKnownHosts(data, [LB, SHIM, NOSIP], sshd.port);
  app = openHost({
    dataDir: data,
    log: () => {},
    sshHomeDir: path.join(dir, 'home'),
    monitoring: false,
    vantage: true,
    vantageBackoff: { baseMs: 300, maxMs: 2_000 },
  });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const cluster = await call(app, 'fleet:create-cluster', { name: 'East', description: '' });
  const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key' as const, keyPath: fixture('user_ed25519'), jumpHost: null };
  const add = (ip: string, alias: string, type: 'dispatcher' | 'switch', udp = 5060) => {
    const d = draft(zone.id, { ip, alias, type, clusterId: cluster.id, channels: 100, cps: 10 });
    return call(app, 'fleet:create-server', { ...d, config: { ...d.config, ports: { ...d.config.ports, udp } }, ssh });
  };
  lb = await add(LB, 'lb-sip-1', 'dispatcher');
  await add(SHIM, 'lb-sip-2', 'dispatcher');
  await add(NOSIP, 'lb-nosip', 'dispatcher');
  answering = await add('127.0.0.1', 'sw-kamailio', 'switch', kamailio.ports.ok);
  mute = await add(SILENT, 'sw-silent', 'switch', silent.address().port);
  await call(app, 'fleet:create-rtp', { ip: RTP, alias: 'rtp-1', zoneId: zone.id });
}, 30_000);

afterAll(async () => {
  await app?.close();
  silent?.close();
  await kamailio?.stop();
  for (const sshd of sshds) await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIP OPTIONS from a vantage server, real sipsak over SSH', () => {
  it('stores sip-udp samples with the vantage server as source: Kamailio answered, the silent switch as loss', async () => {
    await call(app, 'vantage:save-settings', {
      enabled: true,
      sources: 'dispatchers',
      chosen: [],
      intervalSec: 1,
      switches: true,
      rtp: true,
      targets: [],
    });
    const s = await until(
      'SIP figures for both switches',
      async () => {
        const st = await status();
        const ok = st?.targets.find((t) => t.id === answering.id)?.lastSip;
        const lost = st?.targets.find((t) => t.id === mute.id)?.lastSip;
        return ok && lost ? st : null;
      },
      15_000,
    );
    expect(s).toMatchObject({ state: 'streaming', sipSender: 'sipsak', unreadableLines: 0 });
    expect(s.sipNote).toBe('sipsak: one OPTIONS per period over UDP to 2 target(s).');
    const byId = new Map(s.targets.map((t) => [t.id, t]));
    expect(byId.get(answering.id)?.lastSip).toMatchObject({ code: 200 });
    expect(byId.get(answering.id)?.lastSip?.rttMs).toBeGreaterThan(0);
    expect(byId.get(mute.id)?.lastSip).toMatchObject({ rttMs: null, code: null });
    expect(received).toBeGreaterThan(0);
    // The RTP server carries media, not SIP: ICMP only, and no SIP series is made for it.
    const rtp = s.targets.find((t) => t.kind === 'rtp');
    expect(rtp).toMatchObject({ sipPort: null, lastSip: null });

    // Same tables and rollups as the workstation's probes, under the vantage server as source.
    const ok = await call(app, 'monitoring:series', { serverId: answering.id, range: '5m', kinds: ['sip-udp'], source: lb.id });
    const okPoints = ok.points['sip-udp'] ?? [];
    expect(okPoints.reduce((n, p) => n + p.count, 0)).toBeGreaterThan(0);
    expect(okPoints.every((p) => p.lost === 0)).toBe(true);
    const lost = await call(app, 'monitoring:series', { serverId: mute.id, range: '5m', kinds: ['sip-udp'], source: lb.id });
    expect((lost.points['sip-udp'] ?? []).every((p) => p.lossPct === 100)).toBe(true);
    // Stored under the vantage server that measured: SIP only from the one with a working sipsak.
    const sources = app.store.db
      .prepare('SELECT DISTINCT source FROM probe_series WHERE server_id IN (?, ?) AND kind = ?')
      .pluck()
      .all(answering.id, mute.id, KIND_CODE['sip-udp']);
    expect(sources).toEqual([lb.id]);
    // Nothing from this workstation: its own series of the switch is empty.
    expect((await call(app, 'monitoring:series', { serverId: answering.id, range: '5m', kinds: ['sip-udp'] })).points['sip-udp']).toEqual(
      [],
    );
  }, 30_000);

  it('lines that are no result are counted and ignored; a server without sipsak is ICMP only and says why', async () => {
    const garbled = await until(
      'lb-sip-2 counts unreadable lines',
      async () => {
        const st = await status(SHIM);
        return st && st.unreadableLines > 0 && st.samples > 0 ? st : null;
      },
      15_000,
    );
    expect(garbled).toMatchObject({ state: 'streaming', sipSender: 'sipsak', sipSamples: 0 });
    expect(garbled.targets.every((t) => t.lastSip === null)).toBe(true);
    const none = await until(
      'lb-nosip streams ICMP',
      async () => {
        const st = await status(NOSIP);
        return st?.state === 'streaming' && st.samples > 0 ? st : null;
      },
      15_000,
    );
    expect(none).toMatchObject({ sipSender: null, sipSamples: 0 });
    expect(none.sipNote).toBe('none: ICMP only — sipsak is not installed on lb-nosip (127.0.95.3) (apt-get install sipsak).');
    expect(none.targets.find((t) => t.id === answering.id)).toMatchObject({ sipPort: kamailio.ports.ok, lastSip: null });
  }, 30_000);

  it('the remote loop ends with its stream: turned off, no SIP loop is left on the server', async () => {
    expect(sipLoops().length).toBeGreaterThan(0);
    await call(app, 'vantage:save-settings', {
      enabled: false,
      sources: 'dispatchers',
      chosen: [],
      intervalSec: 1,
      switches: true,
      rtp: true,
      targets: [],
    });
    await until('no SIP loop left', () => (sipLoops().length === 0 ? true : null), 10_000);
  }, 15_000);

  it('hands each URI to sipsak as one literal argument, whatever it holds', async () => {
    const client = clientSetup('accept');
    const sshd = sshds[1];
    if (!sshd) throw new Error('no shim sshd');
    const conn = await connect(keyTarget(SHIM, sshd.port), client.options());
    const uris = HOSTILE_ARGS.map((a) => a.replaceAll('MARKER', path.join(sshd.workDir, 'pwned')));
    const stop = new AbortController();
    const seen = new Map<number, string>();
    try {
      // Each "result" is echo's argv on one line, which the parser rightly cannot read.
      const run = runSipLoop(conn, {
        uris,
        intervalMs: 1_000,
        timeoutMs: 500,
        signal: stop.signal,
        onStarted: () => undefined,
        onResult: () => undefined,
        onUnreadable: (line) => {
          const m = /^switchyard-sip (\d+) (.*)$/s.exec(line);
          if (m) seen.set(Number(m[1]), m[2] ?? '');
        },
      });
      await until('a line per URI', () => (seen.size === uris.length ? true : null), 10_000);
      stop.abort();
      await run;
    } finally {
      conn.close();
      client.cleanup();
    }
    uris.forEach((uri, i) => expect(seen.get(i)).toBe(`-A 1 -vv -d -Z 500 -D 1 -s ${uri.replace(/[\r\n]/g, ' ')} `));
    expect(readdirSync(sshd.workDir)).toEqual([]);
  }, 20_000);
});
