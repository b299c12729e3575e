// The scheduler's watch path for ICMP: targets registered once, results straight from fping's own
// loop. First with a recording check on the manual clock (what is watched when, expiry without a
// tick), then with the real fping on loopback and, in a namespace of our own, a silent address.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import type { Check, ProbeResult, ProbeTarget } from '../../src/services/probes/check';
import { systemClock } from '../../src/services/probes/clock';
import { FpingCheck } from '../../src/services/probes/icmp-fping';
import { ProbeScheduler, type MonitoredServer } from '../../src/services/probes/scheduler';
import { ManualClock } from '../helpers/manual-clock';
import { createNetns, SILENT_ADDRESS, type Netns } from '../helpers/netns';
import { until } from '../helpers/until';

const T0 = 1_700_000_000_000;
const server = (id: string, host: string, extra: Partial<MonitoredServer> = {}): MonitoredServer => ({
  id,
  host,
  ports: { udp: 5060, tcp: 5060, tls: 5061 },
  adminState: 'running',
  expiresAt: null,
  intervalMs: 1_000,
  kinds: ['icmp'],
  ...extra,
});

/** Records watch and release calls; `emit(id)` plays fping printing a result for that server. */
class WatchingCheck implements Check {
  readonly kind = 'icmp' as const;
  readonly watched = new Map<string, { target: ProbeTarget; emit: (r: ProbeResult) => void }>();
  checks = 0;
  check(): Promise<ProbeResult> {
    this.checks += 1;
    return Promise.resolve({ rttMs: 1 });
  }
  watch(target: ProbeTarget, emit: (r: ProbeResult) => void): void {
    this.watched.set(target.serverId, { target, emit });
  }
  release(serverId: string): void {
    this.watched.delete(serverId);
  }
  emit(id: string, result: ProbeResult): void {
    this.watched.get(id)?.emit(result);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('scheduler watch path (manual clock)', () => {
  it('watches running servers only while started, never ticks them, and releases on pause, remove, host change and expiry', async () => {
    const clock = new ManualClock(T0);
    const icmp = new WatchingCheck();
    const samples: Sample[] = [];
    const scheduler = new ProbeScheduler({ checks: { icmp }, clock, onSample: (s) => samples.push(s), deadlineMs: 700 });
    scheduler.upsert(server('a', '127.0.0.1'));
    scheduler.upsert(server('b', '127.0.0.2', { adminState: 'stopped' }));
    scheduler.upsert(server('c', '127.0.0.3', { expiresAt: T0 + 2_500 }));
    scheduler.upsert(server('d', '127.0.0.4'));
    expect(icmp.watched.size).toBe(0);
    scheduler.start();
    expect([...icmp.watched.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(icmp.watched.get('a')?.target).toMatchObject({ host: '127.0.0.1', intervalMs: 1_000, deadlineMs: 700 });
    // ICMP-only servers have no slot: nothing for the timer to do but the one expiry.
    expect(scheduler.stats.planned).toBe(0);

    icmp.emit('a', { rttMs: 0.05, at: T0 + 10 });
    icmp.emit('c', { rttMs: null, error: 'timeout', at: T0 + 20 });
    expect(samples).toEqual([
      { serverId: 'a', kind: 'icmp', at: T0 + 10, rttMs: 0.05 },
      { serverId: 'c', kind: 'icmp', at: T0 + 20, rttMs: null },
    ]);

    await clock.advanceTo(T0 + 2_499);
    expect(icmp.watched.has('c')).toBe(true);
    await clock.advanceTo(T0 + 2_500);
    expect(icmp.watched.has('c')).toBe(false);
    expect(clock.pendingTimers).toBe(0);

    scheduler.upsert(server('a', '127.0.0.1', { adminState: 'stopped' }));
    scheduler.remove('d');
    expect([...icmp.watched.keys()]).toEqual([]);
    scheduler.upsert(server('a', '127.0.0.9'));
    expect(icmp.watched.get('a')?.target.host).toBe('127.0.0.9');

    await scheduler.stop();
    expect(icmp.watched.size).toBe(0);
    icmp.emit('a', { rttMs: 1 });
    expect(samples).toHaveLength(2);
    scheduler.start();
    expect([...icmp.watched.keys()]).toEqual(['a']);
    await clock.advanceTo(T0 + 60_000);
    expect(icmp.checks).toBe(0);
    await scheduler.stop();
  });

  it('ticks the other kinds of a mixed server and watches its ICMP', async () => {
    const clock = new ManualClock(T0);
    const icmp = new WatchingCheck();
    let sip = 0;
    const sipCheck: Check = {
      kind: 'sip-udp',
      check: () => ((sip += 1), Promise.resolve({ rttMs: 2, code: 200 })),
      close: () => Promise.resolve(),
    };
    const scheduler = new ProbeScheduler({ checks: { icmp, 'sip-udp': sipCheck }, clock, onSample: () => undefined });
    scheduler.upsert(server('m', '127.0.0.1', { kinds: ['sip-udp', 'icmp'], expiresAt: T0 + 10_500 }));
    scheduler.start();
    expect(scheduler.stats.planned).toBe(1);
    await clock.advanceTo(T0 + 5_000);
    expect(sip).toBeGreaterThanOrEqual(4);
    expect(icmp.watched.has('m')).toBe(true);
    await clock.advanceTo(T0 + 20_000);
    expect(icmp.watched.has('m')).toBe(false);
    expect(scheduler.stats.planned).toBe(0);
    expect(icmp.checks).toBe(0);
    await scheduler.stop();
  });
});

let ns: Netns | null = null;
beforeAll(() => {
  ns = createNetns();
});
afterAll(() => ns?.remove());

const fpingChildren = (): number => {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-x', 'fping'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe('scheduler watch path with the real fping', () => {
  it('gets every watched target results from one fping, loses the silent one, and stops what is released, paused or expired', async () => {
    if (!ns) throw new Error('could not create a network namespace (needs root / CAP_SYS_ADMIN)');
    const fping = new FpingCheck({ command: [...ns.exec, 'fping'] });
    const samples: Sample[] = [];
    const scheduler = new ProbeScheduler({
      checks: { icmp: fping },
      clock: systemClock(),
      onSample: (s) => samples.push(s),
      deadlineMs: 500,
    });
    const t0 = Date.now();
    const hosts = Array.from({ length: 50 }, (_, i) => `127.0.2.${i + 1}`);
    for (const [i, host] of hosts.entries()) scheduler.upsert(server(`s${i}`, host));
    scheduler.upsert(server('silent', SILENT_ADDRESS));
    scheduler.upsert(server('expiring', '127.0.3.1', { expiresAt: t0 + 4_000 }));
    scheduler.start();
    const of = (id: string) => samples.filter((s) => s.serverId === id);
    try {
      await until(
        'two results for every loopback target and a loss for the silent one',
        () => hosts.every((_, i) => of(`s${i}`).length >= 2) && of('silent').length >= 1,
      );
      expect(fping.spawned).toBe(1);
      for (const s of samples.filter((x) => x.serverId.startsWith('s') && x.serverId !== 'silent')) {
        expect(s.rttMs).toBeGreaterThan(0);
        expect(s.rttMs).toBeLessThan(100);
        // Dated when it left (fping's -D stamp less the round trip), not when the batch was read.
        expect(s.at).toBeGreaterThanOrEqual(t0 - 5);
        expect(s.at).toBeLessThanOrEqual(Date.now());
      }
      expect(of('silent').every((s) => s.rttMs === null)).toBe(true);

      // The expiring server stops at its expiry with no tick (it has no slot): fping drops it.
      await until('the expired target to leave fping', () => Date.now() > t0 + 4_000 && fping.targets === 51);
      const expiredCount = of('expiring').length;
      expect(expiredCount).toBeGreaterThan(0);

      // One remove and one pause: a single restart for both, then no more of their samples.
      const first = fping.pid;
      scheduler.remove('s0');
      scheduler.upsert(server('s1', hosts[1] ?? '', { adminState: 'stopped' }));
      expect(fping.targets).toBe(49);
      await until('fping restarted without them', () => fping.pid !== null && fping.pid !== first);
      const spawned = fping.spawned;
      const cut = [of('s0').length, of('s1').length];
      const mark = samples.length;
      await until('results of the others after the restart', () => samples.length > mark + 100);
      expect([of('s0').length, of('s1').length]).toEqual(cut);
      expect(of('expiring').length).toBe(expiredCount);
      expect(fping.spawned).toBe(spawned);
      // The old fping was told to end; under load it may take a moment to be gone and reaped.
      expect(first).not.toBeNull();
      await until('the first fping to have ended', () => !existsSync(`/proc/${first}`));

      // Stopping releases every target: fping goes, and no sample comes after.
      await scheduler.stop();
      await until('fping to stop once nothing is watched', () => fping.pid === null && fpingChildren() === 0);
      const after = samples.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(samples.length).toBe(after);
    } finally {
      await scheduler.stop();
      await fping.close();
    }
    expect(fpingChildren()).toBe(0);
  });

  it('batches 300 servers arriving at once into one fping and leaves no process after close', async () => {
    const fping = new FpingCheck();
    const seen = new Set<string>();
    const scheduler = new ProbeScheduler({ checks: { icmp: fping }, clock: systemClock(), onSample: (s) => seen.add(s.serverId) });
    for (let i = 0; i < 300; i += 1) scheduler.upsert(server(`b${i}`, `127.0.${4 + Math.floor(i / 200)}.${(i % 200) + 1}`));
    scheduler.start();
    try {
      await until('a result for each of 300 targets', () => seen.size === 300);
      expect(fping.spawned).toBe(1);
    } finally {
      const pid = fping.pid;
      await scheduler.stop();
      await fping.close();
      expect(pid !== null && !existsSync(`/proc/${pid}`)).toBe(true);
    }
    expect(fpingChildren()).toBe(0);
  });
});
