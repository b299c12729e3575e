// ICMP through fping (one long-running process) and the system ping, against 127.0.0.x and,
// inside a network namespace made for the test, an address where nothing ever answers.
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../../src/services/probes/check';
import { createIcmpCheck, detectIcmpBackend } from '../../src/services/probes/icmp-backend';
import { FpingCheck } from '../../src/services/probes/icmp-fping';
import { PingCheck } from '../../src/services/probes/icmp-ping';
import { createNetns, SILENT_ADDRESS, type Netns } from '../helpers/netns';

const signal = new AbortController().signal;
setMaxListeners(0, signal);
const target = (host: string, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  serverId: host,
  host,
  port: 0,
  deadlineMs: 500,
  intervalMs: 1_000,
  ...extra,
});
/** Gone means gone: not running and not a zombie waiting to be reaped. */
const gone = (pid: number | null) => pid !== null && !existsSync(`/proc/${pid}`);

let ns: Netns | null = null;
beforeAll(() => {
  ns = createNetns();
});
afterAll(() => ns?.remove());

describe('fping backend', () => {
  it('probes many loopback targets from one process and reports the silent one as lost', async () => {
    if (!ns) throw new Error('could not create a network namespace (needs root / CAP_SYS_ADMIN)');
    const fping = new FpingCheck({ command: [...ns.exec, 'fping'] });
    try {
      const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3', SILENT_ADDRESS];
      const results = await Promise.all(hosts.map((h) => fping.check(target(h), signal)));
      expect(fping.spawned).toBe(1);
      for (const r of results.slice(0, 3)) {
        expect(r.rttMs).toBeGreaterThan(0);
        expect(r.rttMs).toBeLessThan(50);
      }
      expect(results[3]).toMatchObject({ rttMs: null, error: 'timeout' });

      // The next results come from the same process, paced by its loop.
      const first = fping.pid;
      const again = await fping.check(target('127.0.0.1'), signal);
      expect(again.rttMs).not.toBeNull();
      expect(fping.pid).toBe(first);

      // A new target restarts fping once; the old process is gone, not left as a zombie.
      const added = await Promise.all([fping.check(target('127.0.0.4'), signal), fping.check(target('127.0.0.1'), signal)]);
      expect(added.every((r) => r.rttMs !== null)).toBe(true);
      expect(fping.spawned).toBe(2);
      expect(gone(first)).toBe(true);
    } finally {
      const last = fping.pid;
      await fping.close();
      expect(gone(last)).toBe(true);
    }
  });

  it('batches 200 targets joining at once into one restart, and releasing a server drops its target', async () => {
    const fping = new FpingCheck();
    try {
      const hosts = Array.from({ length: 200 }, (_, i) => `127.0.${Math.floor(i / 100)}.${(i % 100) + 1}`);
      const results = await Promise.all(hosts.map((h) => fping.check(target(h, { deadlineMs: 800 }), signal)));
      expect(results.filter((r) => r.rttMs !== null).length).toBe(hosts.length);
      expect(fping.spawned).toBe(1);
      const before = fping.pid;
      fping.release('127.0.1.100');
      // The restart happens once the change has settled; results keep coming meanwhile.
      while (fping.spawned < 2) expect((await fping.check(target('127.0.0.1'), signal)).rttMs).not.toBeNull();
      expect(gone(before)).toBe(true);
      expect((await fping.check(target('127.0.0.1'), signal)).rttMs).not.toBeNull();
    } finally {
      const pid = fping.pid;
      await fping.close();
      expect(gone(pid)).toBe(true);
    }
  });
});

describe('ping fallback and backend detection', () => {
  it('pings 127.0.0.1 with the system ping, and loses the silent target at the deadline', async () => {
    const ping = new PingCheck();
    const ok = await ping.check(target('127.0.0.1', { deadlineMs: 1_000 }), signal);
    expect(ok.rttMs).toBeGreaterThan(0);
    if (!ns) throw new Error('could not create a network namespace');
    const inNs = new PingCheck({ command: [...ns.exec, 'ping'] });
    const started = performance.now();
    const lost = await inNs.check(target(SILENT_ADDRESS, { deadlineMs: 1_000 }), signal);
    expect(lost.rttMs).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(await ping.check(target('-c9'), signal)).toEqual({ rttMs: null, error: 'invalid host' });
  });

  it('says which backend is in use: fping when installed, ping otherwise, none without either', async () => {
    const found = await detectIcmpBackend();
    expect(found).toMatchObject({ backend: 'fping', version: expect.stringMatching(/^\d+\.\d+/) });
    expect(createIcmpCheck(found)).toBeInstanceOf(FpingCheck);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-path-'));
    try {
      symlinkSync('/usr/bin/ping', path.join(dir, 'ping'));
      const fallback = await detectIcmpBackend({ searchPath: dir });
      expect(fallback).toEqual({ backend: 'ping', path: path.join(dir, 'ping'), version: null });
      expect(createIcmpCheck(fallback)).toBeInstanceOf(PingCheck);
      expect(await detectIcmpBackend({ searchPath: path.join(dir, 'empty') })).toEqual({ backend: 'none', path: null, version: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
