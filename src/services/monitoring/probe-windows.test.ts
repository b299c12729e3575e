import { describe, expect, it } from 'vitest';
import { ProbeWindows } from './probe-windows';

const contents = (w: ProbeWindows, row: number) =>
  Array.from({ length: w.length(row) }, (_, i) => [w.at(row, i), w.rtt(row, i), w.code(row, i) ?? null]);

describe('probe windows', () => {
  it('keeps the last probes of a row in time order, a late one in its place, the oldest dropped when full', () => {
    const w = new ProbeWindows(4);
    const row = w.open();
    w.add(row, 10, 1, 200);
    w.add(row, 30, null, undefined);
    w.add(row, 20, 2, 503);
    expect(contents(w, row)).toEqual([
      [10, 1, 200],
      [20, 2, 503],
      [30, null, null],
    ]);
    w.add(row, 40, 4, undefined);
    w.add(row, 50, 5, undefined);
    expect(contents(w, row).map(([at]) => at)).toEqual([20, 30, 40, 50]);
    // Full: a late probe between kept ones pushes the oldest out; one older than all is itself the oldest.
    w.add(row, 35, 3.5, undefined);
    expect(contents(w, row).map(([at]) => at)).toEqual([30, 35, 40, 50]);
    w.add(row, 5, 0.5, undefined);
    expect(contents(w, row).map(([at]) => at)).toEqual([30, 35, 40, 50]);
  });

  it('reuses a released row and keeps every row whole as the columns grow', () => {
    const w = new ProbeWindows(3, 2);
    const rows = Array.from({ length: 5 }, () => w.open());
    rows.forEach((row, i) => w.add(row, i, i / 10, 200 + i));
    expect(rows.map((row) => contents(w, row))).toEqual(rows.map((_, i) => [[i, i / 10, 200 + i]]));
    const bytes = w.bytes;
    // Servers come and go for a long time: rows are reused, the columns do not grow.
    for (let round = 0; round < 1_000; round += 1) {
      const row = w.open();
      w.add(row, round, 1, undefined);
      expect(w.length(row)).toBe(1);
      w.release(row);
    }
    expect(w.bytes).toBe(bytes);
    expect(w.used).toBe(5);
  });
});
