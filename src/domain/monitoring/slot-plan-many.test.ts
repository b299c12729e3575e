import { describe, expect, it } from 'vitest';
import { SlotPlan } from './slot-plan';

// A fleet of 10,000 handed to the plan at once (a start, an import, an interval changed for
// all): slots laid out once, as evenly as one server at a time would lay them.

const T0 = 1_000_000;

/** Phases of the given ids, sorted, and the largest gap between neighbours (wrapping round). */
function spread(plan: SlotPlan, ids: readonly string[], interval: number): { phases: number[]; maxGap: number } {
  const phases = ids.map((id) => plan.phaseOf(id) ?? Number.NaN).sort((a, b) => a - b);
  let maxGap = (phases[0] ?? 0) + interval - (phases.at(-1) ?? 0);
  for (let i = 1; i < phases.length; i += 1) maxGap = Math.max(maxGap, phases[i]! - phases[i - 1]!);
  return { phases, maxGap };
}

describe('SlotPlan.setMany', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `srv-${i}`);

  it('spreads 10,000 servers evenly over the interval in one layout', () => {
    const plan = new SlotPlan();
    const started = performance.now();
    plan.setMany(
      ids.map((id) => ({ id, intervalMs: 5_000 })),
      T0,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(plan.size).toBe(10_000);
    const { phases, maxGap } = spread(plan, ids, 5_000);
    expect(phases.every((p) => p >= 0 && p < 5_000)).toBe(true);
    // 10,000 in 5 s: one every 0.5 ms, held to whole milliseconds.
    expect(maxGap).toBeLessThanOrEqual(1);
    const dueNow = plan.takeDue(T0);
    expect(dueNow.length).toBeGreaterThan(0);
    expect(dueNow.length).toBeLessThanOrEqual(2);
  });

  it('moves every server to a new interval, leaving none behind on the old one', () => {
    const plan = new SlotPlan();
    plan.setMany(
      ids.map((id) => ({ id, intervalMs: 5_000 })),
      T0,
    );
    plan.setMany(
      ids.map((id) => ({ id, intervalMs: 1_000 })),
      T0 + 100,
    );
    expect(ids.every((id) => plan.intervalOf(id) === 1_000)).toBe(true);
    // Ten servers share each millisecond of a 1 s interval.
    const seen = new Map<number, number>();
    for (const id of ids) seen.set(plan.phaseOf(id)!, (seen.get(plan.phaseOf(id)!) ?? 0) + 1);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(10);
    expect(seen.size).toBe(1_000);
  });

  it('leaves a server already planned at that interval where it was', () => {
    const plan = new SlotPlan();
    plan.set('a', T0, 5_000);
    plan.set('b', T0, 5_000);
    const before = [plan.dueAt('a'), plan.dueAt('b')];
    plan.setMany([{ id: 'a', intervalMs: 5_000 }], T0 + 10);
    expect([plan.dueAt('a'), plan.dueAt('b')]).toEqual(before);
  });
});
