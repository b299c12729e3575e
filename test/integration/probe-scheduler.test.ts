// The scheduler with an injected clock (exact spreads, pauses, leak-free stop), then for real
// against kamailio with the batched writer and SQLite.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { AbortedError, type Check, type ProbeResult, type ProbeTarget } from '../../src/services/probes/check';
import { closeChecks, createChecks } from '../../src/services/probes/checks';
import { systemClock } from '../../src/services/probes/clock';
import { SampleWriter } from '../../src/services/probes/sample-writer';
import { DEFAULT_GATHER_MS, ProbeScheduler } from '../../src/services/probes/scheduler';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { startKamailio } from '../helpers/kamailio';
import { ManualClock } from '../helpers/manual-clock';
import { perSecond, server } from '../helpers/scheduler-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_700_000_000_321;

/** A check that records when it was called and answers after `delayMs` of the manual clock. */
class RecordingCheck implements Check {
  readonly kind = 'sip-udp' as const;
  readonly calls: { id: string; at: number }[] = [];
  open = 0;
  constructor(
    private readonly clock: ManualClock,
    private readonly delayMs = 3,
  ) {}
  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    this.calls.push({ id: target.serverId, at: this.clock.now() });
    this.open += 1;
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        this.open -= 1;
        signal.removeEventListener('abort', onAbort);
        resolve({ rttMs: this.delayMs, code: 200 });
      }, this.delayMs);
      const onAbort = () => {
        this.clock.clearTimer(timer);
        this.open -= 1;
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  async close(): Promise<void> {}
}

describe('probe scheduler with an injected clock', () => {
  it('probes 1,000 servers at 5 s evenly, adds and removes mid-interval smoothly, and stops without leaks', async () => {
    const clock = new ManualClock(T0);
    const check = new RecordingCheck(clock);
    const samples: Sample[] = [];
    const scheduler = new ProbeScheduler({ checks: { 'sip-udp': check }, clock, onSample: (s) => samples.push(s) });
    for (let i = 0; i < 1_000; i += 1) scheduler.upsert(server(`s${i}`));
    scheduler.start();
    await clock.advanceTo(T0 + 12_345);
    scheduler.upsert(server('added'));
    await clock.advanceTo(T0 + 17_777);
    scheduler.remove('s10');
    await clock.advanceTo(T0 + 40_000);

    const seconds = perSecond(check.calls, T0 + 1_000, T0 + 40_000);
    expect(Math.max(...seconds)).toBeLessThanOrEqual(201);
    expect(Math.min(...seconds)).toBeGreaterThanOrEqual(199);
    const times = (id: string) => check.calls.filter((c) => c.id === id).map((c) => c.at);
    for (const id of ['s0', 's500', 's999', 'added']) {
      const t = times(id);
      // A wake hands over what is due within the gather window, so a slot moves by at most that
      // much, plus the few ms a mid-interval add or remove moves the slots after it.
      for (let k = 1; k < t.length; k += 1)
        expect(Math.abs((t[k] as number) - (t[k - 1] as number) - 5_000)).toBeLessThanOrEqual(DEFAULT_GATHER_MS + 9);
    }
    expect(times('added')[0]! - (T0 + 12_345)).toBeLessThanOrEqual(5_000);
    expect(times('s10').every((t) => t <= T0 + 17_777)).toBe(true);
    expect(samples.length).toBeGreaterThan(7_500);
    expect(samples[0]).toMatchObject({ kind: 'sip-udp', rttMs: 3, code: 200 });

    await scheduler.stop();
    expect(check.open).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(scheduler.stats).toMatchObject({ inFlight: 0, timerArmed: false });
  });

  it('pauses stopped and expired servers and resumes them when they run again', async () => {
    const clock = new ManualClock(T0);
    const check = new RecordingCheck(clock);
    const scheduler = new ProbeScheduler({ checks: { 'sip-udp': check }, clock, onSample: () => undefined, defaultIntervalMs: 1_000 });
    scheduler.upsert(server('run'));
    scheduler.upsert(server('stop', { adminState: 'stopped' }));
    scheduler.upsert(server('expires', { expiresAt: T0 + 3_500 }));
    scheduler.start();
    await clock.advanceTo(T0 + 10_000);
    const count = (id: string) => check.calls.filter((c) => c.id === id).length;
    expect(count('run')).toBeGreaterThanOrEqual(9);
    expect(count('stop')).toBe(0);
    expect(check.calls.filter((c) => c.id === 'expires').every((c) => c.at < T0 + 3_500)).toBe(true);
    expect(count('expires')).toBeGreaterThanOrEqual(3);
    expect(scheduler.stats.planned).toBe(1);
    scheduler.upsert(server('stop'));
    await clock.advanceTo(T0 + 15_000);
    expect(count('stop')).toBeGreaterThanOrEqual(4);
    await scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not pile probes on a server whose previous probe is still running', async () => {
    const clock = new ManualClock(T0);
    const slow = new RecordingCheck(clock, 2_500);
    const scheduler = new ProbeScheduler({ checks: { 'sip-udp': slow }, clock, onSample: () => undefined, defaultIntervalMs: 1_000 });
    scheduler.upsert(server('slow'));
    scheduler.start();
    await clock.advanceTo(T0 + 10_000);
    expect(slow.calls.length).toBeLessThanOrEqual(4);
    expect(scheduler.stats.skipped).toBeGreaterThanOrEqual(5);
    await scheduler.stop();
    expect(slow.open).toBe(0);
  });
});

describe('probe scheduler for real', () => {
  it('probes kamailio over UDP, TCP and TLS and TCP connect on the real clock, writes one transaction per flush, and leaves nothing running', async () => {
    const kam = await startKamailio({ tls: true });
    const handles = () => process.getActiveResourcesInfo().filter((r) => /UDPWRAP|TCPWRAP|TLSWRAP|Timeout/.test(r)).length;
    const before = handles();
    const store = openStore({ file: path.join(tempDir(), 'live.db') });
    const repo = createSamplesRepo(store.db);
    let transactions = 0;
    const clock = systemClock();
    const writer = new SampleWriter({ sink: { insertBatch: (b) => ((transactions += 1), repo.insertBatch(b)) }, clock, flushMs: 300 });
    const checks = createChecks({ clock, version: '0.1.0', icmp: null });
    const scheduler = new ProbeScheduler({ checks, clock, onSample: (s) => writer.add(s), defaultIntervalMs: 1_000 });
    for (let i = 0; i < 5; i += 1) {
      scheduler.upsert(
        server(`k${i}`, {
          ports: { udp: i === 4 ? kam.ports.busy : kam.ports.ok, tcp: kam.ports.ok, tls: kam.ports.tls ?? 1 },
          kinds: ['sip-udp', 'sip-tcp', 'sip-tls', 'tcp'],
          tlsPinSha256: kam.tlsFingerprint,
        }),
      );
    }
    writer.start();
    scheduler.start();
    await new Promise((r) => setTimeout(r, 2_300));
    await scheduler.stop();
    writer.close();
    await closeChecks(checks);
    await kam.stop();

    const rows = store.db.prepare('SELECT server_id, kind, rtt_us, code FROM probe_samples').all() as {
      server_id: string;
      kind: number;
      rtt_us: number | null;
      code: number | null;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(5 * 4 * 2);
    expect(rows.every((r) => r.rtt_us !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set([1, 2, 3, 5]));
    expect(rows.filter((r) => r.kind === 1 && r.server_id === 'k4').every((r) => r.code === 503)).toBe(true);
    expect(rows.filter((r) => r.kind === 3).every((r) => r.code === 200)).toBe(true);
    expect(transactions).toBeGreaterThanOrEqual(2);
    expect(transactions).toBeLessThanOrEqual(12);
    store.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(handles()).toBeLessThanOrEqual(before);
  });
});
