// The scheduler's lean path (Check.start / cancelAll, no promise per probe) with an injected
// clock: the same even spread and no-pile rule as the promise path, wakes gathered on a busy
// fleet, and a stop that ends every probe in one call with nothing reported afterwards.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import type { Check, ProbeDone, ProbeResult, ProbeTarget } from '../../src/services/probes/check';
import type { Clock, TimerHandle } from '../../src/services/probes/clock';
import { DEFAULT_GATHER_MS, ProbeScheduler } from '../../src/services/probes/scheduler';
import { ManualClock } from '../helpers/manual-clock';
import { perSecond, server } from '../helpers/scheduler-fixtures';

const T0 = 1_700_000_000_321;

/** Answers each start() after `delayMs` of the manual clock; the promise path must go unused. */
class LeanRecordingCheck implements Check {
  readonly kind = 'sip-udp' as const;
  readonly calls: { id: string; at: number }[] = [];
  readonly #timers = new Set<TimerHandle>();
  promiseCalls = 0;
  cancelled = 0;
  constructor(
    private readonly clock: ManualClock,
    private readonly delayMs = 3,
  ) {}
  get open(): number {
    return this.#timers.size;
  }
  check(): Promise<ProbeResult> {
    this.promiseCalls += 1;
    return Promise.resolve({ rttMs: null, error: 'the promise path was used' });
  }
  start(target: ProbeTarget, done: ProbeDone): void {
    this.calls.push({ id: target.serverId, at: this.clock.now() });
    const timer = this.clock.setTimer(() => {
      this.#timers.delete(timer);
      done(target, { rttMs: this.delayMs, code: 200 });
    }, this.delayMs);
    this.#timers.add(timer);
  }
  cancelAll(): void {
    this.cancelled += this.#timers.size;
    for (const timer of this.#timers) this.clock.clearTimer(timer);
    this.#timers.clear();
  }
  async close(): Promise<void> {}
}

describe('probe scheduler, lean path', () => {
  it('probes 1,000 servers at 5 s evenly through start(), adds and removes mid-interval smoothly, and stops without leaks', async () => {
    const clock = new ManualClock(T0);
    const check = new LeanRecordingCheck(clock);
    const samples: Sample[] = [];
    const scheduler = new ProbeScheduler({ checks: { 'sip-udp': check }, clock, onSample: (s) => samples.push(s) });
    for (let i = 0; i < 1_000; i += 1) scheduler.upsert(server(`s${i}`));
    scheduler.start();
    await clock.advanceTo(T0 + 12_345);
    scheduler.upsert(server('added'));
    await clock.advanceTo(T0 + 17_777);
    scheduler.remove('s10');
    await clock.advanceTo(T0 + 30_000);

    const seconds = perSecond(check.calls, T0 + 1_000, T0 + 30_000);
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
    expect(times('s10').every((t) => t <= T0 + 17_777)).toBe(true);
    expect(samples.length).toBeGreaterThan(5_500);
    expect(samples[0]).toMatchObject({ kind: 'sip-udp', rttMs: 3, code: 200 });
    expect(check.promiseCalls).toBe(0);

    // Stop while probes are out: one cancelAll ends them, and no result arrives afterwards.
    for (let t = T0 + 30_001; check.open === 0 && t < T0 + 30_020; t += 1) await clock.advanceTo(t);
    expect(check.open).toBeGreaterThan(0);
    const before = samples.length;
    await scheduler.stop();
    expect(check.cancelled).toBeGreaterThan(0);
    expect(check.open).toBe(0);
    await clock.advanceTo(T0 + 31_000);
    expect(samples.length).toBe(before);
    expect(clock.pendingTimers).toBe(0);
    expect(scheduler.stats).toMatchObject({ inFlight: 0, timerArmed: false });
  });

  it('gathers a busy fleet into a wake per batch, each server still probed once a second within the gather window', async () => {
    const clock = new ManualClock(T0);
    const check = new LeanRecordingCheck(clock, 1);
    let wakes = 0;
    const counting: Clock = {
      now: () => clock.now(),
      elapsedMs: () => clock.elapsedMs(),
      setTimer: (fn, ms) =>
        clock.setTimer(() => {
          wakes += 1;
          fn();
        }, ms),
      clearTimer: (handle) => clock.clearTimer(handle),
    };
    const scheduler = new ProbeScheduler({
      checks: { 'sip-udp': check },
      clock: counting,
      onSample: () => undefined,
      defaultIntervalMs: 1_000,
    });
    for (let i = 0; i < 1_000; i += 1) scheduler.upsert(server(`s${i}`));
    scheduler.start();
    await clock.advanceTo(T0 + 2_000);
    const calls0 = check.calls.length;
    wakes = 0;
    await clock.advanceTo(T0 + 12_000);
    const probes = check.calls.length - calls0;
    expect(probes).toBeGreaterThanOrEqual(9_990);
    expect(probes).toBeLessThanOrEqual(10_010);
    // The scheduler wakes once per gather window: 10 s of 1 ms slots in windows of DEFAULT_GATHER_MS + 1.
    expect(wakes).toBeLessThanOrEqual(Math.ceil(10_000 / (DEFAULT_GATHER_MS + 1)) + 2);
    expect(wakes).toBeGreaterThanOrEqual(Math.floor(10_000 / (DEFAULT_GATHER_MS + 1)) - 2);
    // A probe leaves at most the gather window early and never late: a second holds its 1,000 give
    // or take what one window moves across its edges.
    const seconds = perSecond(check.calls, T0 + 3_000, T0 + 12_000);
    expect(Math.max(...seconds)).toBeLessThanOrEqual(1_000 + DEFAULT_GATHER_MS + 1);
    expect(Math.min(...seconds)).toBeGreaterThanOrEqual(1_000 - DEFAULT_GATHER_MS - 1);
    for (const id of ['s0', 's321', 's999']) {
      const t = check.calls.filter((c) => c.id === id).map((c) => c.at);
      for (let k = 1; k < t.length; k += 1)
        expect(Math.abs((t[k] as number) - (t[k - 1] as number) - 1_000)).toBeLessThanOrEqual(DEFAULT_GATHER_MS + 1);
    }
    await scheduler.stop();
  });

  it('does not pile probes on a server whose previous probe is still running', async () => {
    const clock = new ManualClock(T0);
    const slow = new LeanRecordingCheck(clock, 2_500);
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
