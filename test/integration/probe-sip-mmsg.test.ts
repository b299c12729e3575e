// SipUdpCheck on its two sockets — the sipmmsg addon (batched sendmmsg/recvmmsg) and Node's own
// (the fallback) — against a real kamailio and a scripted peer: the same answers, losses and
// dropped datagrams either way, the fallback taken when the addon is missing, broken or switched
// off, and round trips on the addon timed from the kernel's arrival time, not from the read.
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeTarget } from '../../src/services/probes/check';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { systemClock, type Clock } from '../../src/services/probes/clock';
import { ENGINE_ENV, loadSipMmsg, type AddonLoad } from '../../src/services/probes/sip-udp-addon';
import { POLL_MS } from '../../src/services/probes/sip-udp-mmsg';
import { addressLookup, type SipUdpEngine } from '../../src/services/probes/sip-udp-socket';
import { freePort } from '../helpers/free-port';
import { startKamailio, type Kamailio } from '../helpers/kamailio';

let kam: Kamailio;
const ENGINES: readonly SipUdpEngine[] = ['mmsg', 'node'];
const target = (port: number, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  serverId: `s${port}`,
  host: '127.0.0.1',
  port,
  deadlineMs: 2_000,
  intervalMs: 1_000,
  ...extra,
});
const handles = () => process.getActiveResourcesInfo().filter((r) => /UDPWRAP|Timeout/.test(r)).length;
const started = (check: SipUdpCheck, t: ProbeTarget) =>
  new Promise<ProbeResult>((resolve) => check.start(t, (_t, result) => resolve(result)));

beforeAll(async () => {
  // `npm install` and `npm test` build it; built here too so this file runs on its own.
  const build = spawnSync(process.execPath, ['scripts/build-sipmmsg.js', '--strict'], { encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  kam = await startKamailio();
});
afterAll(async () => {
  await kam?.stop();
});

describe('SIP OPTIONS over UDP on the addon and on Node sockets', () => {
  it('takes the addon by default, and both engines give the same codes and losses for the same targets', async () => {
    expect(new SipUdpCheck().engine).toBe('mmsg');
    const silent = await freePort();
    const ports = Array.from({ length: 30 }, (_, i) => [kam.ports.ok, kam.ports.busy, kam.ports.moved][i % 3] as number);
    const outcomes: Record<string, unknown> = {};
    for (const engine of ENGINES) {
      const before = handles();
      const udp = new SipUdpCheck({ engine, version: '0.1.0' });
      expect(udp.engine).toBe(engine);
      // The lean path (a batch per task on the addon) and the promise path, side by side.
      const results = await Promise.all([
        ...ports.map((p, i) => started(udp, target(p, { serverId: `m${i}` }))),
        udp.check(target(kam.ports.ok, { serverId: 'promise' }), new AbortController().signal),
        started(udp, target(silent, { serverId: 'silent', deadlineMs: 300 })),
      ]);
      for (const r of results.filter((r) => r.rttMs !== null)) {
        expect(r.rttMs).toBeGreaterThan(0);
        expect(r.rttMs).toBeLessThan(1_000);
      }
      outcomes[engine] = results.map((r) => r.code ?? r.error);
      expect(udp.inFlight).toBe(0);
      expect(udp.dropped).toBe(0);
      await udp.close();
      expect(handles()).toBeLessThanOrEqual(before);
    }
    expect(outcomes.mmsg).toEqual([...ports.map((p) => (p === kam.ports.ok ? 200 : p === kam.ports.busy ? 503 : 302)), 200, 'timeout']);
    expect(outcomes.node).toEqual(outcomes.mmsg);
  });

  it('counts garbage, truncated, oversized and wrong Call-ID datagrams as dropped and ignores them, the same on both', async () => {
    const peer = dgram.createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    peer.on('message', (msg, from) => {
      const send = (s: string | Buffer) => peer.send(s, from.port, from.address);
      const answer = msg.toString('latin1').replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 200 OK');
      send(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
      send(answer.slice(0, answer.indexOf('Call-ID')));
      // The largest datagram IPv4 carries, beginning like an answer.
      send(Buffer.concat([Buffer.from('SIP/2.0 200 OK\r\n'), Buffer.alloc(65_507 - 16, 'A')]));
      send(answer.replace(/Call-ID: \S+/, 'Call-ID: someone-else'));
      setTimeout(() => send(answer.replace('200 OK', '486 Busy Here')), 50);
    });
    const port = peer.address().port;
    const seen: Record<string, unknown> = {};
    for (const engine of ENGINES) {
      const udp = new SipUdpCheck({ engine });
      const results = [];
      for (let i = 0; i < 3; i += 1) results.push(await started(udp, target(port, { serverId: `p${i}` })));
      expect(results.map((r) => r.code)).toEqual([486, 486, 486]);
      for (const r of results) expect(r.rttMs).toBeGreaterThanOrEqual(45);
      seen[engine] = udp.dropped;
      await udp.close();
    }
    expect(seen).toEqual({ mmsg: 12, node: 12 });
    await new Promise<void>((r) => peer.close(() => r()));
  });

  it('on the addon, times a round trip from the answer’s arrival even when the process reads it late', async () => {
    // The peer answers at once, then keeps this process's event loop busy for 400 ms (a loaded
    // host): the answer waits in the kernel meanwhile. The addon reads its arrival time there;
    // Node's socket can only time it when it is read. Compared with each other rather than with a
    // fixed bound, so a machine slow to schedule the peer delays both alike.
    const peer = dgram.createSocket({ type: 'udp4', lookup: addressLookup });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    let busy = false;
    peer.on('message', (msg, from) => {
      peer.send(msg.toString('latin1').replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 200 OK'), from.port, from.address);
      const answeredAt = performance.now();
      while (busy && performance.now() - answeredAt < 400) {
        // Busy, as a host drawing a chart or writing a batch may be.
      }
    });
    // Up to three tries per engine: the kernel's stamp is on the wall clock, and a step of that
    // clock between arrival and read (a virtual machine resynchronising) makes the addon fall back
    // to the read time for that answer (tested below); one try timed from the arrival is the claim.
    const rtts: Record<SipUdpEngine, number[]> = { mmsg: [], node: [] };
    for (const engine of ENGINES) {
      const udp = new SipUdpCheck({ engine });
      // One probe first, answered at once: Linux turns receive timestamps on for the whole system
      // a moment after the first socket asks (a deferred switch), and a datagram that arrived
      // before that is stamped when it is read.
      expect((await started(udp, target(peer.address().port))).rttMs).not.toBeNull();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await new Promise((r) => setTimeout(r, 50));
        busy = true;
        const rtt = (await started(udp, target(peer.address().port, { serverId: `late${attempt}` }))).rttMs;
        busy = false;
        expect(rtt, `${engine} try ${attempt}`).not.toBeNull();
        rtts[engine].push(rtt!);
        if (engine === 'node' || rtt! < 150) break;
      }
      await udp.close();
    }
    const node = rtts.node[0]!;
    expect(node).toBeGreaterThanOrEqual(400);
    for (const mmsg of rtts.mmsg) expect(mmsg, JSON.stringify(rtts)).toBeGreaterThan(0);
    expect(Math.min(...rtts.mmsg), JSON.stringify(rtts)).toBeLessThan(node - 250);
    await new Promise<void>((r) => peer.close(() => r()));
  });

  it('on the addon, times from the read when the wall clock stepped forward between arrival and read', async () => {
    // The kernel's stamp is wall-clock time; a step forward after it (simulated here by adding 10 s
    // to every age the real addon reports) would put the arrival before the question was sent. The
    // round trip is then timed from the read, as on Node's socket, never reported as 0 ms.
    const real = loadSipMmsg();
    if (real.addon === null) throw new Error(real.reason);
    const inner = real.addon;
    const stepped: AddonLoad = {
      file: real.file,
      addon: {
        ...inner,
        open: (...a) => inner.open(...a),
        localPort: (...a) => inner.localPort(...a),
        addTarget: (...a) => inner.addTarget(...a),
        send: (...a) => inner.send(...a),
        close: (...a) => inner.close(...a),
        maxBatch: inner.maxBatch,
        recv: (socket, into, meta) => {
          const count = inner.recv(socket, into, meta);
          for (let i = 0; i < count; i += 1) meta[2 * i + 1] = (meta[2 * i + 1] as number) + 10_000;
          return count;
        },
      },
    };
    const peer = dgram.createSocket({ type: 'udp4', lookup: addressLookup });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    peer.on('message', (msg, from) => {
      setTimeout(() => peer.send(msg.toString('latin1').replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 200 OK'), from.port, from.address), 30);
    });
    const udp = new SipUdpCheck({ engine: 'mmsg', addon: stepped });
    const result = await started(udp, target(peer.address().port));
    await udp.close();
    await new Promise<void>((r) => peer.close(() => r()));
    expect(result.code).toBe(200);
    expect(result.rttMs).toBeGreaterThanOrEqual(25);
    expect(result.rttMs).toBeLessThan(2_000);
  });
  it('on the addon, keeps one poll timer across a stream of batches instead of re-arming it for each', async () => {
    // A cleared Node timer still wakes the process at its old time, so a poll pushed back at every
    // batch costs a wake per batch; the socket keeps its poll and lets it sleep again instead.
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
    const udp = new SipUdpCheck({ engine: 'mmsg', clock });
    const results: Promise<ProbeResult>[] = [];
    for (let batch = 0; batch < 30; batch += 1) {
      for (let i = 0; i < 3; i += 1) results.push(started(udp, target(kam.ports.ok, { serverId: `b${batch}-${i}` })));
      await new Promise((r) => setTimeout(r, 4));
    }
    expect((await Promise.all(results)).map((r) => r.code)).toEqual(results.map(() => 200));
    // 30 batches over about 150 ms: the sweep and a poll every POLL_MS, not a timer per batch.
    expect(timers.cleared).toBe(0);
    expect(timers.set).toBeLessThanOrEqual(2 + 2 * Math.ceil(200 / POLL_MS));
    await udp.close();
  });

  it('probes an IPv6 target through its own socket on both engines', async () => {
    const peer = dgram.createSocket('udp6');
    await new Promise<void>((r) => peer.bind(0, '::1', () => r()));
    peer.on('message', (msg, from) =>
      peer.send(msg.toString('latin1').replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 404 Not Here'), from.port, from.address),
    );
    for (const engine of ENGINES) {
      const udp = new SipUdpCheck({ engine });
      expect(await started(udp, target(peer.address().port, { host: '[::1]' }))).toMatchObject({ code: 404 });
      expect(udp.engine).toBe(engine);
      await udp.close();
    }
    await new Promise<void>((r) => peer.close(() => r()));
  });
});

describe('the fallback to Node sockets', () => {
  it('is taken when the addon is missing, is not the addon, or is switched off, and then probes as before', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-sipmmsg-'));
    const notAddon = path.join(dir, 'sipmmsg.node');
    writeFileSync(notAddon, 'not a shared object');
    const loads: AddonLoad[] = [loadSipMmsg(path.join(dir, 'missing.node')), loadSipMmsg(notAddon)];
    process.env[ENGINE_ENV] = 'node';
    try {
      loads.push(loadSipMmsg(path.resolve('native/sipmmsg/build/sipmmsg.node')));
    } finally {
      delete process.env[ENGINE_ENV];
    }
    expect(loads.map((l) => (l.addon === null ? l.reason : 'loaded'))).toEqual([
      expect.stringMatching(/missing\.node did not load/),
      expect.stringMatching(/sipmmsg\.node did not load/),
      `${ENGINE_ENV}=node`,
    ]);
    for (const load of loads) {
      const udp = new SipUdpCheck({ addon: load });
      expect(udp.engine).toBe('node');
      expect(udp.fallbackReason).toBe(load.addon === null ? load.reason : null);
      expect(await started(udp, target(kam.ports.busy))).toMatchObject({ code: 503 });
      await udp.close();
    }
    expect(() => new SipUdpCheck({ engine: 'mmsg', addon: loads[0] as AddonLoad })).toThrow(
      /sipmmsg addon is not available: .*missing\.node/,
    );
  });
});
