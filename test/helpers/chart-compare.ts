// Compares charts drawn from the same samples before and after their rollups were packed into
// blocks (rollup-blocks.ts). Everything must be equal except the mean: a block keeps a row's sum
// as whole µs (the samples' own unit), where a row kept the running sum of the samples in ms as a
// double, so the mean of a step may differ in its last bits (under 1e-12 of it) and no more.
import { expect } from 'vitest';
import type { SeriesResult } from '../../src/services/store/samples-series';

const RELATIVE = 1e-12;

export function expectSameChart(after: SeriesResult, before: SeriesResult, label = 'chart'): void {
  const strip = (r: SeriesResult) => ({
    ...r,
    points: Object.fromEntries(
      Object.entries(r.points).map(([kind, points]) => [kind, (points ?? []).map((p) => ({ ...p, meanMs: null }))]),
    ),
  });
  expect(strip(after), label).toEqual(strip(before));
  for (const [kind, points] of Object.entries(before.points)) {
    const other = after.points[kind as keyof typeof after.points] ?? [];
    (points ?? []).forEach((p, i) => {
      const mean = other[i]?.meanMs ?? null;
      if (p.meanMs === null) expect(mean, `${label} ${kind} @${p.t}`).toBeNull();
      else expect(Math.abs((mean ?? Number.NaN) - p.meanMs), `${label} ${kind} @${p.t}`).toBeLessThanOrEqual(RELATIVE * Math.abs(p.meanMs));
    });
  }
}
