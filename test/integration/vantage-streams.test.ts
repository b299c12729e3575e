import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/contract/events';
import type { Server } from '../../src/contract/fleet';
import type { VantageSettings, VantageSourceStatus } from '../../src/contract/vantage-methods';
import { openHost, type HostApp } from '../../src/host/app';
import { systemClock } from '../../src/services/probes/clock';
import { seedKnownHosts } from '../helpers/actions-fixtures';
import { call, draft } from '../helpers/fleet-fixtures';
import { fixture, startSshd, sshKeygenFingerprint, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// Probes from the servers' own vantage points, against real peers: the "vantage servers" are
// real OpenSSH sshds on loopback addresses, each session running the real fping 5 in loop mode
// against other loopback addresses (the whole of 127/8 answers on Linux). Four dispatchers of one
// cluster, each a different case:
//   .1  known host key, fping present: streams.
//   .2  host key not on file: waits for the operator, then streams once accepted.
//   .3  presents a different key than the one on file: refused, never retried, never offered.
//   .4  sessions get a PATH without fping (sshd's SetEnv): a clear "not installed on …" error.
// The switch of the cluster, an RTP server and an added address are the targets.

const NET = '127.0.91';
const LB = { good: `${NET}.1`, unknown: `${NET}.2`, changed: `${NET}.3`, nofping: `${NET}.4` };
const SWITCH = `${NET}.11`;
const RTP = `${NET}.21`;
const CARRIER = `${NET}.31`;
const ADDED = `${NET}.32`;

let dir: string;
let dataDir: string;
let app: HostApp;
const sshds: Sshd[] = [];
const servers = new Map<string, Server>();
let rtpId: string;
const pushes: EventPayload<'vantage:stream-changed'>[] = [];
const prompts: EventPayload<'ssh:host-key-prompt'>[] = [];

const settings = (over: Partial<VantageSettings> = {}): VantageSettings => ({
  enabled: true,
  sources: 'dispatchers',
  chosen: [],
  intervalSec: 1,
  switches: true,
  rtp: true,
  targets: [{ address: CARRIER, label: 'Carrier A' }],
  ...over,
});
const status = async (ip: string): Promise<VantageSourceStatus | undefined> =>
  (await call(app, 'vantage:status', {})).sources.find((s) => s.ip === ip);
const idOf = (ip: string): string => {
  const s = servers.get(ip);
  if (!s) throw new Error(`no server ${ip}`);
  return s.id;
};

/** The pid of the fping a vantage session runs against our test addresses (found in /proc, ended by pid). */
function remoteFpingPid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0] === 'fping' && argv.includes('-l') && argv.includes(SWITCH)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-vantage-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  // A PATH with a shell and coreutils' head but no fping: what a server without fping looks like.
  const bin = path.join(dir, 'bin-without-fping');
  mkdirSync(bin, { mode: 0o755 });
  for (const tool of ['sh', 'env', 'head']) symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
  const good = await startSshd({ addresses: [LB.good, LB.unknown] });
  const port = good.port;
  sshds.push(good);
  sshds.push(await startSshd({ addresses: [LB.changed], port, hostKeys: ['ed25519-swapped'] }));
  sshds.push(await startSshd({ addresses: [LB.nofping], port, extraConfig: [`SetEnv PATH=${bin}`] }));
  const data = path.join(dir, 'data');
  // .1, .3 and .4 are on file with the fixture key (.3 then presents another); .2 is not.
  seedKnownHosts(data, [LB.good, LB.changed, LB.nofping], port);
  dataDir = data;
  app = openHost({
    dataDir: data,
    log: () => {},
    sshHomeDir: home,
    monitoring: false,
    vantage: true,
    vantageBackoff: { baseMs: 300, maxMs: 2_000 },
  });
  app.events.on((name, payload) => {
    if (name === 'vantage:stream-changed') pushes.push(payload as EventPayload<'vantage:stream-changed'>);
    if (name === 'ssh:host-key-prompt') prompts.push(payload as EventPayload<'ssh:host-key-prompt'>);
  });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const cluster = await call(app, 'fleet:create-cluster', { name: 'East', description: '' });
  const add = async (ip: string, alias: string, type: 'dispatcher' | 'switch') => {
    const server = await call(app, 'fleet:create-server', {
      ...draft(zone.id, { ip, alias, type, clusterId: cluster.id, channels: 100, cps: 10 }),
      ssh: { host: null, port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    });
    servers.set(ip, server);
  };
  await add(LB.good, 'lb-east-1', 'dispatcher');
  await add(LB.unknown, 'lb-east-2', 'dispatcher');
  await add(LB.changed, 'lb-east-3', 'dispatcher');
  await add(LB.nofping, 'lb-east-4', 'dispatcher');
  await add(SWITCH, 'sw-east-1', 'switch');
  rtpId = (await call(app, 'fleet:create-rtp', { ip: RTP, alias: 'rtp-east-1', zoneId: zone.id })).id;
}, 30_000);

afterAll(async () => {
  await app?.close();
  for (const sshd of sshds) await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vantage streams over SSH, real fping on the server', () => {
  it('is off until turned on; then samples arrive per (source, target) and charts read them by source', async () => {
    expect((await call(app, 'vantage:settings', {})).enabled).toBe(false);
    expect((await call(app, 'vantage:status', {})).sources).toEqual([]);
    await call(app, 'vantage:save-settings', settings());
    const lb = idOf(LB.good);
    const streaming = await until(
      'lb-east-1 streams to all three targets',
      async () => {
        const s = await status(LB.good);
        return s?.state === 'streaming' && s.targets.every((t) => t.last !== null) ? s : null;
      },
      20_000,
    );
    expect(streaming.targets.map((t) => [t.kind, t.address])).toEqual(
      expect.arrayContaining([
        ['switch', SWITCH],
        ['rtp', RTP],
        ['address', CARRIER],
      ]),
    );
    expect(streaming.targets.every((t) => t.last !== null && t.last.rttMs !== null && t.last.rttMs < 50)).toBe(true);
    expect(streaming.fpingVersion).toMatch(/^\d+\.\d+/);
    // sipsak is looked for first, then sipp; this machine has both (.ci/run installs sipsak).
    expect(streaming.sipTool).toBe('sipsak');

    const fromLb = await call(app, 'monitoring:series', { serverId: idOf(SWITCH), range: '5m', kinds: ['icmp'], source: lb });
    expect(fromLb.points.icmp?.length).toBeGreaterThan(0);
    // Nothing was probed from this workstation: the local series of the same target is empty.
    const local = await call(app, 'monitoring:series', { serverId: idOf(SWITCH), range: '5m', kinds: ['icmp'] });
    expect(local.points.icmp).toEqual([]);
    // An RTP server is a target too, charted by its series id.
    const rtp = await call(app, 'monitoring:series', { serverId: `rtp_${rtpId}`, range: '5m', kinds: ['icmp'], source: lb });
    expect(rtp.points.icmp?.length).toBeGreaterThan(0);
    expect(await call(app, 'vantage:sources', { targetId: idOf(SWITCH) })).toEqual(
      expect.arrayContaining([
        { source: 'local', label: 'from this workstation' },
        { source: lb, label: 'from lb-east-1' },
      ]),
    );
    // The rows are stored with their source; the rollup view carries it too.
    const rows = app.store.db.prepare('SELECT DISTINCT source FROM probe_samples WHERE server_id = ?').pluck().all(idOf(SWITCH));
    expect(rows).toContain(lb);
  }, 40_000);

  it('an address added to the settings is probed by the running vantage points', async () => {
    await call(
      app,
      'vantage:save-settings',
      settings({
        targets: [
          { address: CARRIER, label: 'Carrier A' },
          { address: ADDED, label: 'Customer B' },
        ],
      }),
    );
    const added = await until(
      'the added address has a sample from lb-east-1',
      async () => {
        const t = (await status(LB.good))?.targets.find((x) => x.address === ADDED);
        return t?.last ? t : null;
      },
      20_000,
    );
    expect(added).toMatchObject({ kind: 'address', label: 'Customer B' });
  }, 30_000);

  it('a killed fping is reported, retried with backoff, and streams again', async () => {
    await until('lb-east-1 streaming', async () => ((await status(LB.good))?.state === 'streaming' ? true : null), 20_000);
    const pid = await until('the remote fping', () => remoteFpingPid());
    const seen = pushes.length;
    process.kill(pid, 'SIGKILL');
    const retrying = await until(
      'a retrying push',
      () => pushes.slice(seen).find((p) => p.source.ip === LB.good && p.source.state === 'retrying') ?? null,
    );
    expect(retrying.source.reason).toMatch(
      /fping on lb-east-1 \(127\.0\.91\.1\) was killed (\(signal 9\)|by KILL)\. Reconnecting in 300 ms \(attempt 1\)\./,
    );
    expect(retrying.source.retryAt).not.toBeNull();
    await until(
      'streaming again with a new fping',
      async () => {
        const next = remoteFpingPid();
        return (await status(LB.good))?.state === 'streaming' && next !== null && next !== pid ? true : null;
      },
      20_000,
    );
    const before = (await status(LB.good))?.samples ?? 0;
    await until(
      'samples keep coming after the reconnect',
      async () => ((await status(LB.good))?.samples ?? 0) > before + 2 || null,
      15_000,
    );
    // A stream that delivers again has recovered: the next drop starts the backoff from its first step.
    expect((await status(LB.good))?.attempt).toBe(0);
  }, 40_000);

  it('an unknown host key waits for the operator, and the server streams once it is accepted', async () => {
    const waiting = await until(
      'lb-east-2 waits for its host key',
      async () => {
        const s = await status(LB.unknown);
        return s?.state === 'connecting' && s.reason.startsWith('Waiting for you to confirm the host key') ? s : null;
      },
      20_000,
    );
    expect(waiting.reason).toContain(sshKeygenFingerprint('ed25519'));
    expect(waiting.samples).toBe(0);
    const prompt = prompts.find((p) => p.host === LB.unknown);
    expect(prompt).toBeDefined();
    await call(app, 'ssh:answer-host-key', { promptId: prompt?.promptId ?? '', accept: true });
    await until(
      'lb-east-2 streams',
      async () => {
        const s = await status(LB.unknown);
        return s?.state === 'streaming' && s.samples > 0 ? true : null;
      },
      20_000,
    );
  }, 40_000);

  it('a changed host key is refused and never retried; a server without fping says what is missing and where', async () => {
    const changed = await until(
      'lb-east-3 refused',
      async () => {
        const s = await status(LB.changed);
        return s?.state === 'failed' ? s : null;
      },
      20_000,
    );
    expect(changed.reason).toMatch(/host key .*changed|changed/i);
    expect(changed.reason).toContain(LB.changed);
    // Never offered for acceptance: no prompt for that address.
    expect(prompts.filter((p) => p.host === LB.changed)).toEqual([]);

    const missing = await until(
      'lb-east-4 failed',
      async () => {
        const s = await status(LB.nofping);
        return s?.state === 'failed' ? s : null;
      },
      20_000,
    );
    expect(missing.reason).toMatch(/^fping is not installed on lb-east-4 \(127\.0\.91\.4\)/);
    expect(missing.reason).toContain('apt-get install fping');
    expect(missing.samples).toBe(0);
    // Failed is final until the operator acts: no retry pushes for either.
    const count = pushes.filter((p) => p.source.ip === LB.nofping || p.source.ip === LB.changed).length;
    await until('lb-east-1 keeps streaming meanwhile', async () => ((await status(LB.good))?.state === 'streaming' ? true : null));
    expect(pushes.filter((p) => p.source.ip === LB.nofping || p.source.ip === LB.changed).length).toBe(count);
  }, 40_000);

  it('bad settings are refused naming the field, and nothing is saved', async () => {
    const before = await call(app, 'vantage:settings', {});
    const bad = await app.dispatch('vantage:save-settings', settings({ targets: [{ address: '127.0.0.1;reboot', label: 'Evil' }] }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/Extra target 1 \(Evil\): The target "127\.0\.0\.1;reboot" contains ";"/);
    const dup = await app.dispatch(
      'vantage:save-settings',
      settings({
        targets: [
          { address: CARRIER, label: 'A' },
          { address: CARRIER, label: 'B' },
        ],
      }),
    );
    expect(dup.ok).toBe(false);
    const interval = await app.dispatch('vantage:save-settings', { ...settings(), intervalSec: 0 });
    expect(interval.ok).toBe(false);
    expect(await call(app, 'vantage:settings', {})).toEqual(before);
  });

  it('another process reads what the running host recorded, and no longer believes it once the records stop', async () => {
    await until('lb-east-1 streaming', async () => ((await status(LB.good))?.state === 'streaming' ? true : null), 20_000);
    const reader = openHost({ dataDir, log: () => {}, monitoring: false, vantage: false });
    // The same reader a minute later, as if the streaming host had died: three missed records.
    const later = openHost({
      dataDir,
      log: () => {},
      monitoring: false,
      vantage: false,
      probeClock: { ...systemClock(), now: () => Date.now() + 60_000 },
    });
    try {
      const now = (await call(reader, 'vantage:status', {})).sources.find((x) => x.ip === LB.good);
      expect(now).toMatchObject({ state: 'streaming', live: false });
      const stale = (await call(later, 'vantage:status', {})).sources.find((x) => x.ip === LB.good);
      expect(stale?.state).toBe('stopped');
      expect(stale?.reason).toMatch(
        /^No host has reported this stream since .* \(it said: streaming\)\. Vantage probes run in `switchyard serve`/,
      );
    } finally {
      await reader.close();
      await later.close();
    }
  }, 30_000);
});
