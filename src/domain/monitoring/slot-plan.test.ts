import { describe, expect, it } from 'vitest';
import { clampInterval, nextDue, reslot, SlotPlan } from './slot-plan';

const T0 = 1_700_000_000_123; // not on a second boundary, like a real start

type Change = { at: number; apply: (plan: SlotPlan, now: number) => void };

/** Drives the plan with an injected clock: wakes exactly when it asks to, applies changes in time order. */
function simulate(plan: SlotPlan, until: number, changes: Change[] = []): { id: string; at: number }[] {
  const runs: { id: string; at: number }[] = [];
  const pending = [...changes].sort((a, b) => a.at - b.at);
  for (;;) {
    const wake = plan.nextWakeAt();
    const change = pending[0];
    if (change && (wake === null || change.at <= wake)) {
      pending.shift();
      change.apply(plan, change.at);
      continue;
    }
    if (wake === null || wake > until) break;
    for (const id of plan.takeDue(wake)) runs.push({ id, at: wake });
  }
  return runs;
}

function perSecond(runs: { at: number }[], from: number, to: number): number[] {
  const counts = new Map<number, number>();
  for (const r of runs) if (r.at >= from && r.at < to) counts.set(Math.floor(r.at / 1000), (counts.get(Math.floor(r.at / 1000)) ?? 0) + 1);
  const out: number[] = [];
  for (let s = Math.ceil(from / 1000); s < Math.floor(to / 1000); s += 1) out.push(counts.get(s) ?? 0);
  return out;
}

function gapsById(runs: { id: string; at: number }[]): Map<string, number[]> {
  const last = new Map<string, number>();
  const gaps = new Map<string, number[]>();
  for (const r of runs) {
    const prev = last.get(r.id);
    if (prev !== undefined) gaps.set(r.id, [...(gaps.get(r.id) ?? []), r.at - prev]);
    last.set(r.id, r.at);
  }
  return gaps;
}

describe('slot plan', () => {
  it('clamps intervals to 1 s .. 1 h with 5 s by default', () => {
    expect(clampInterval(undefined)).toBe(5_000);
    expect(clampInterval(200)).toBe(1_000);
    expect(clampInterval(2_500.4)).toBe(2_500);
    expect(clampInterval(Number.NaN)).toBe(5_000);
    expect(clampInterval(1e9)).toBe(3_600_000);
  });

  it('finds the next slot on the phase, never sooner than half an interval after the last run', () => {
    expect(nextDue(1_000, 5_000, 10_000, null)).toBe(11_000);
    expect(nextDue(1_000, 5_000, 11_000, null)).toBe(11_000);
    expect(nextDue(1_000, 5_000, 11_000, 11_000)).toBe(16_000);
    expect(nextDue(1_200, 5_000, 11_100, 11_000)).toBe(16_200);
    expect(nextDue(900, 5_000, 11_100, 11_000)).toBe(15_900);
  });

  it('re-slots a moved phase near one interval after the last run, never two intervals away', () => {
    expect(reslot(998, 5_000, 15_999, 11_000)).toBe(15_999);
    expect(reslot(1_003, 5_000, 12_000, 11_000)).toBe(16_003);
    expect(reslot(3_000, 5_000, 12_000, 11_000)).toBe(18_000);
    expect(reslot(1_000, 5_000, 100_000, 11_000)).toBe(101_000);
    expect(reslot(1_000, 5_000, 12_000, null)).toBe(16_000);
  });

  it('spreads 1,000 servers at 5 s so that no second holds more than its share plus one', () => {
    const plan = new SlotPlan();
    for (let i = 0; i < 1_000; i += 1) plan.set(`s${i}`, T0);
    const runs = simulate(plan, T0 + 60_000);
    const seconds = perSecond(runs, T0 + 5_000, T0 + 60_000);
    expect(Math.max(...seconds)).toBeLessThanOrEqual(201);
    expect(Math.min(...seconds)).toBeGreaterThanOrEqual(199);
    for (const gaps of gapsById(runs).values()) for (const g of gaps) expect(g).toBe(5_000);
    // Phases are distinct whole milliseconds, 5 ms apart.
    const phases = new Set(Array.from({ length: 1_000 }, (_, i) => plan.phaseOf(`s${i}`)));
    expect(phases.size).toBe(1_000);
  });

  it('adds and removes single servers mid-interval with neither a burst nor a starved server', () => {
    const plan = new SlotPlan();
    for (let i = 0; i < 1_000; i += 1) plan.set(`s${i}`, T0);
    const runs = simulate(plan, T0 + 40_000, [
      { at: T0 + 12_345, apply: (p, now) => p.set('new-1', now) },
      { at: T0 + 13_001, apply: (p, now) => p.set('new-2', now) },
      { at: T0 + 17_222, apply: (p, now) => void p.remove('s500', now) },
      { at: T0 + 21_777, apply: (p, now) => void p.remove('s0', now) },
    ]);
    // At most 1,002 servers at 5 s: a share of 200.4 a second.
    expect(Math.max(...perSecond(runs, T0 + 5_000, T0 + 40_000))).toBeLessThanOrEqual(201);
    for (const [id, gaps] of gapsById(runs)) {
      // One server more or less moves each slot by about T/n = 5 ms (two changes overlap here,
      // plus whole-ms rounding): no double probe, no long wait.
      for (const g of gaps) expect(Math.abs(g - 5_000), id).toBeLessThanOrEqual(12);
    }
    const firstRun = (id: string) => runs.find((r) => r.id === id)?.at ?? Number.POSITIVE_INFINITY;
    expect(firstRun('new-1') - (T0 + 12_345)).toBeLessThanOrEqual(5_000);
    expect(firstRun('new-2') - (T0 + 13_001)).toBeLessThanOrEqual(5_000);
    expect(runs.some((r) => r.id === 's500' && r.at > T0 + 17_222)).toBe(false);
  });

  it('absorbs a bulk removal and a bulk addition without bursts, then settles to an even spread', () => {
    const plan = new SlotPlan();
    for (let i = 0; i < 1_000; i += 1) plan.set(`s${i}`, T0);
    const runs = simulate(plan, T0 + 60_000, [
      {
        at: T0 + 22_500,
        apply: (p, now) => {
          for (let i = 1; i <= 100; i += 1) p.remove(`s${i}`, now);
        },
      },
      {
        at: T0 + 26_000,
        apply: (p, now) => {
          for (let i = 0; i < 50; i += 1) p.set(`late${i}`, now);
        },
      },
    ]);
    expect(Math.max(...perSecond(runs, T0 + 5_000, T0 + 60_000))).toBeLessThanOrEqual(201);
    const settled = perSecond(runs, T0 + 32_000, T0 + 60_000);
    expect(Math.max(...settled) - Math.min(...settled)).toBeLessThanOrEqual(1);
    for (const [id, gaps] of gapsById(runs)) {
      // Closing a hole of 100 servers moves the ones after it by up to 100 * T/n ≈ 500 ms, once.
      for (const g of gaps) expect(Math.abs(g - 5_000), id).toBeLessThanOrEqual(560);
    }
    const late = runs.filter((r) => r.id.startsWith('late'));
    expect(new Set(late.map((r) => r.id)).size).toBe(50);
    expect(Math.min(...late.map((r) => r.at))).toBeGreaterThanOrEqual(T0 + 26_000);
  });

  it('keeps each interval group evenly spread, and moves a server between groups', () => {
    const plan = new SlotPlan({ defaultIntervalMs: 5_000 });
    for (let i = 0; i < 10; i += 1) plan.set(`fast${i}`, T0, 1_000);
    for (let i = 0; i < 10; i += 1) plan.set(`slow${i}`, T0);
    const spacing = (ids: string[], interval: number) => {
      const phases = ids.map((id) => plan.phaseOf(id) as number).sort((a, b) => a - b);
      return phases.map((p, i) => (i + 1 < phases.length ? (phases[i + 1] as number) : (phases[0] as number) + interval) - p);
    };
    const fast = Array.from({ length: 10 }, (_, i) => `fast${i}`);
    for (const gap of spacing(fast, 1_000)) expect(gap).toBe(100);
    for (const gap of spacing(
      Array.from({ length: 10 }, (_, i) => `slow${i}`),
      5_000,
    ))
      expect(gap).toBe(500);
    plan.set('slow3', T0 + 2_000, 1_000);
    expect(plan.intervalOf('slow3')).toBe(1_000);
    for (const gap of spacing([...fast, 'slow3'], 1_000)) expect(Math.abs(gap - 1_000 / 11)).toBeLessThanOrEqual(1);
    for (const gap of spacing(['slow0', 'slow1', 'slow2', 'slow4', 'slow5', 'slow6', 'slow7', 'slow8', 'slow9'], 5_000))
      expect(Math.abs(gap - 5_000 / 9)).toBeLessThanOrEqual(1);
    const runs = simulate(plan, T0 + 20_000);
    expect(runs.filter((r) => r.id === 'fast1').length).toBeGreaterThanOrEqual(17);
  });

  it('runs each server once after a late wake instead of catching up', () => {
    const plan = new SlotPlan();
    for (let i = 0; i < 10; i += 1) plan.set(`s${i}`, T0);
    const due = plan.takeDue(T0 + 60_000);
    expect(due.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`).sort());
    expect(plan.takeDue(T0 + 60_000)).toEqual([]);
    expect(plan.nextWakeAt()).toBeGreaterThan(T0 + 60_000);
    expect(plan.remove('nope', T0)).toBe(false);
  });
});
