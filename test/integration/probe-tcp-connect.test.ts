// TcpConnectCheck on its two engines — the sipmmsg addon's TCP prober (epoll) and Node's sockets
// (the fallback) — against real loopback listeners: one on 127.0.0.1, one on ::1, a closed port
// (refused) and a listener whose accept queue is full (its SYNs are dropped: a timeout). The
// same results either way, round trips within the deadline, no TIME_WAIT left by a burst, nothing
// left open after cancelAll, the fallback taken when the addon is absent, bad input a loss.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dns from 'node:dns/promises';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, type ProbeResult, type ProbeTarget } from '../../src/services/probes/check';
import { systemClock, type Clock } from '../../src/services/probes/clock';
import { ENGINE_ENV, loadSipMmsg, type AddonLoad } from '../../src/services/probes/sip-udp-addon';
import { TcpConnectCheck, type TcpConnectEngine } from '../../src/services/probes/tcp-connect';
import { POLL_MS } from '../../src/services/probes/tcp-connect-addon';
import { freePort } from '../helpers/free-port';
import { until } from '../helpers/until';

const ENGINES: readonly TcpConnectEngine[] = ['epoll', 'node'];
const listeners: net.Server[] = [];
let v4 = 0;
let v6 = 0;
let closed = 0;
let full = 0;
let fullChild: ChildProcess | null = null;
const fillers: net.Socket[] = [];

const target = (host: string, port: number, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  serverId: `${host}:${port}`,
  host,
  port,
  deadlineMs: 2_000,
  intervalMs: 5_000,
  ...extra,
});
const started = (check: TcpConnectCheck, t: ProbeTarget) =>
  new Promise<ProbeResult>((resolve) => check.start(t, (_t, result) => resolve(result)));
const outcome = (r: ProbeResult) => (r.rttMs !== null ? 'connected' : r.error);
const handles = () => process.getActiveResourcesInfo().filter((r) => /TCPSocketWrap|Timeout/.test(r)).length;
/** Sockets this process holds open (listeners, connects, the prober's epoll descriptor is not one). */
const socketFds = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
const timeWaits = (port: number) =>
  spawnSync('ss', ['-Htan', 'state', 'time-wait', `( sport = :${port} or dport = :${port} )`], { encoding: 'utf8' }).stdout.trim();

async function listen(host: string): Promise<number> {
  const server = net.createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  listeners.push(server);
  return (server.address() as net.AddressInfo).port;
}

/**
 * A listener on 127.0.0.1 that never accepts (a process blocked right after listen) with a
 * backlog of 1, filled by connections of ours: the kernel then drops every further SYN.
 */
async function fullListener(): Promise<number> {
  const code = `const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
    process.stdout.write(s.address().port + '\\n');
    setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
  });`;
  fullChild = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => fullChild?.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString()))));
  await new Promise((r) => setTimeout(r, 200));
  // Fill the queue: connections complete until it is full, then one stays unanswered.
  for (let i = 0; i < 8; i += 1) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await Promise.race([
      new Promise<boolean>((r) => socket.once('connect', () => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 300)),
    ]);
    if (!connected) return port;
  }
  throw new Error('the listener’s accept queue did not fill');
}

beforeAll(async () => {
  // `npm install` and `npm test` build it; built here too so this file runs on its own.
  const build = spawnSync(process.execPath, ['scripts/build-sipmmsg.js', '--strict'], { encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  v4 = await listen('127.0.0.1');
  v6 = await listen('::1');
  closed = await freePort();
  full = await fullListener();
});
afterAll(async () => {
  for (const socket of fillers) socket.destroy();
  fullChild?.kill('SIGKILL');
  await Promise.all(listeners.map((s) => new Promise((r) => s.close(r))));
});

describe('TCP connect probes on the addon and on Node sockets', () => {
  it('takes the addon by default, and both engines give the same results for the same targets', async () => {
    expect(new TcpConnectCheck().engine).toBe('epoll');
    const localhost = await dns.lookup('localhost');
    const targets: ProbeTarget[] = [
      target('127.0.0.1', v4),
      target('::1', v6),
      target('[::1]', v6),
      target('localhost', localhost.family === 6 ? v6 : v4),
      target('127.0.0.1', closed),
      target('::1', closed),
      target('127.0.0.1', full, { deadlineMs: 300 }),
      target('127.0.0.1', 0),
      target('127.0.0.1', 70_000),
      target('127.0.0.1', 5060.5),
      target('not an address', v4),
      target('999.1.1.1', v4),
      target('', v4),
    ];
    const outcomes: Record<string, unknown> = {};
    for (const engine of ENGINES) {
      const before = handles();
      const check = new TcpConnectCheck(undefined, { engine });
      expect(check.engine).toBe(engine);
      // The lean path and the promise path, side by side.
      const results = await Promise.all([
        ...targets.map((t) => started(check, t)),
        ...targets.map((t) => check.check(t, new AbortController().signal)),
      ]);
      for (const r of results.filter((r) => r.rttMs !== null)) {
        expect(r.rttMs).toBeGreaterThan(0);
        expect(r.rttMs).toBeLessThan(2_000);
      }
      outcomes[engine] = results.map(outcome);
      expect(check.inFlight).toBe(0);
      await check.close();
      await until('the engine’s handles closed', () => handles() <= before);
    }
    const once = ['connected', 'connected', 'connected', 'connected', 'refused', 'refused', 'timeout'];
    const bad = ['invalid port', 'invalid port', 'invalid port', 'invalid address', 'invalid address', 'invalid address'];
    expect(outcomes.epoll).toEqual([...once, ...bad, ...once, ...bad]);
    expect(outcomes.node).toEqual(outcomes.epoll);
  });

  it('on the addon, reports the kernel’s handshake time, not the time until the poll', async () => {
    const check = new TcpConnectCheck(undefined, { engine: 'epoll' });
    const rtts: number[] = [];
    for (let i = 0; i < 20; i += 1) rtts.push((await started(check, target('127.0.0.1', v4))).rttMs ?? Number.NaN);
    await check.close();
    rtts.sort((a, b) => a - b);
    // Results are collected every POLL_MS; a loopback handshake takes microseconds.
    expect(rtts[0]).toBeGreaterThan(0);
    expect(rtts[10], JSON.stringify(rtts)).toBeLessThan(POLL_MS / 4);
  });

  it('on the addon, collects at the end of each batch and keeps one poll timer instead of re-arming it per batch', async () => {
    // A cleared Node timer still wakes the process at its old time: the poll is kept, not pushed back.
    const real = systemClock();
    const timers = { set: 0, cleared: 0 };
    const clock: Clock = {
      now: () => real.now(),
      elapsedMs: () => real.elapsedMs(),
      setTimer: (fn, ms) => {
        timers.set += 1;
        return real.setTimer(fn, ms);
      },
      clearTimer: (handle) => {
        timers.cleared += 1;
        real.clearTimer(handle);
      },
    };
    const check = new TcpConnectCheck(clock, { engine: 'epoll' });
    const results: Promise<ProbeResult>[] = [];
    const began = performance.now();
    for (let batch = 0; batch < 30; batch += 1) {
      for (let i = 0; i < 3; i += 1)
        results.push(started(check, target('127.0.0.1', i === 2 ? closed : v4, { serverId: `b${batch}-${i}` })));
      await new Promise((r) => setTimeout(r, 4));
    }
    expect((await Promise.all(results)).map(outcome)).toEqual(results.map((_, i) => (i % 3 === 2 ? 'refused' : 'connected')));
    const spentMs = performance.now() - began;
    // The sweep and a poll every POLL_MS at most, not a timer per batch.
    expect(timers.cleared).toBeLessThanOrEqual(2);
    expect(timers.set).toBeLessThanOrEqual(2 + 2 * Math.ceil(spentMs / POLL_MS));
    await check.close();
  });

  it('leaves no TIME_WAIT behind a burst of 200 probes, on either engine', async () => {
    for (const engine of ENGINES) {
      const port = await listen('127.0.0.1');
      const check = new TcpConnectCheck(undefined, { engine });
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => started(check, target('127.0.0.1', i % 4 === 3 ? closed : port, { serverId: `b${i}` }))),
      );
      expect(results.map(outcome)).toEqual(results.map((_, i) => (i % 4 === 3 ? 'refused' : 'connected')));
      // Give the listener's side a moment to see the resets; a TIME_WAIT, once there, stays 60 s.
      await new Promise((r) => setTimeout(r, 200));
      expect(timeWaits(port), engine).toBe('');
      expect(timeWaits(closed), engine).toBe('');
      await check.close();
    }
  });

  it('ends every probe at cancelAll without a result and leaves nothing open; close() rejects check() probes', async () => {
    for (const engine of ENGINES) {
      const beforeHandles = handles();
      const beforeFds = socketFds();
      const check = new TcpConnectCheck(undefined, { engine });
      let reported = 0;
      for (let i = 0; i < 50; i += 1) check.start(target('127.0.0.1', full, { serverId: `c${i}`, deadlineMs: 500 }), () => (reported += 1));
      for (let i = 0; i < 10; i += 1) check.start(target('localhost', full, { serverId: `n${i}`, deadlineMs: 500 }), () => (reported += 1));
      expect(check.inFlight).toBe(60);
      check.cancelAll();
      expect(check.inFlight).toBe(0);
      // Node's sockets close on the next turn of the loop; the addon's at once.
      if (engine === 'epoll') expect(handles()).toBeLessThanOrEqual(beforeHandles);
      await until('the handles closed', () => handles() <= beforeHandles);
      await until('the sockets closed', () => socketFds() <= beforeFds);
      await new Promise((r) => setTimeout(r, 700));
      expect(reported).toBe(0);
      expect(socketFds()).toBeLessThanOrEqual(beforeFds);

      // A probe begun by check() ends with AbortedError, on its signal or at close().
      const controller = new AbortController();
      const aborted = check.check(target('127.0.0.1', full), controller.signal);
      const closing = check.check(target('127.0.0.1', full), new AbortController().signal);
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(AbortedError);
      await check.close();
      await expect(closing).rejects.toBeInstanceOf(AbortedError);
      await expect(check.check(target('127.0.0.1', v4), new AbortController().signal)).rejects.toBeInstanceOf(AbortedError);
      await until('the handles closed', () => handles() <= beforeHandles);
      await until('the sockets closed', () => socketFds() <= beforeFds);
    }
  });

  it('never throws on bad input at the addon: a bad address or port comes back from the poll as EINVAL', async () => {
    const load = loadSipMmsg();
    if (load.addon === null) throw new Error(load.reason);
    const addon = load.addon;
    const prober = addon.tcpOpen();
    const ids = new Int32Array(8);
    const meta = new Float64Array(16);
    const sent = [
      addon.tcpConnect(prober, 4, 'nonsense', 5060),
      addon.tcpConnect(prober, 4, '127.0.0.1', 0),
      addon.tcpConnect(prober, 6, '127.0.0.1', 5060),
      addon.tcpConnect(prober, 4, '127.0.0.1', 70_000),
      addon.tcpConnect(prober, 4, '127.0.0.1', closed),
    ];
    const got = new Map<number, number>();
    await until('every connect reported', () => {
      const count = addon.tcpPoll(prober, ids, meta);
      for (let i = 0; i < count; i += 1) got.set(ids[i] as number, meta[2 * i] as number);
      return got.size === sent.length;
    });
    expect(sent.map((id) => got.get(id))).toEqual([22, 22, 22, 22, os.constants.errno.ECONNREFUSED]);
    expect(addon.tcpCancel(prober, sent[0] as number)).toBe(false);
    addon.tcpClose(prober);
    expect(() => addon.tcpPoll(prober, ids, meta)).toThrow(/closed/);
  });
});

describe('the fallback to Node sockets', () => {
  it('is taken when the addon is missing, lacks the TCP prober, or is switched off, and then probes as before', async () => {
    const real = loadSipMmsg();
    if (real.addon === null) throw new Error(real.reason);
    const { tcpOpen: _open, tcpConnect: _connect, tcpPoll: _poll, tcpCancel: _cancel, tcpClose: _close, ...udpOnly } = real.addon;
    const loads: AddonLoad[] = [
      loadSipMmsg(path.join(os.tmpdir(), 'switchyard-no-such-dir', 'sipmmsg.node')),
      { addon: udpOnly as typeof real.addon, file: real.file },
    ];
    process.env[ENGINE_ENV] = 'node';
    try {
      loads.push(loadSipMmsg(path.resolve('native/sipmmsg/build/sipmmsg.node')));
    } finally {
      delete process.env[ENGINE_ENV];
    }
    const reasons = [/sipmmsg\.node did not load/, /has no TCP prober/, new RegExp(`^${ENGINE_ENV}=node$`)];
    for (const [i, load] of loads.entries()) {
      const check = new TcpConnectCheck(undefined, { addon: load });
      expect(check.engine).toBe('node');
      expect(check.fallbackReason).toMatch(reasons[i] as RegExp);
      expect(outcome(await started(check, target('127.0.0.1', v4)))).toBe('connected');
      expect(outcome(await started(check, target('127.0.0.1', closed)))).toBe('refused');
      await check.close();
    }
    expect(() => new TcpConnectCheck(undefined, { engine: 'epoll', addon: loads[0] as AddonLoad })).toThrow(/TCP prober is not available/);
  });
});
