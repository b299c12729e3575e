// Which stored resolution a chart reads: the finest one within budget, and never one so coarse the
// chart has almost nothing to draw (the 5-minute smoke view read five minute rollups).
import { describe, expect, it } from 'vitest';
import { chooseSource } from './samples-series';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RETENTION = { rawMs: 2 * DAY, minuteMs: 14 * DAY, hourMs: 365 * DAY };
const NOW = Date.UTC(2026, 5, 1, 12);

const source = (rangeMs: number, maxPoints: number) => chooseSource(NOW - rangeMs, NOW, maxPoints, RETENTION, NOW);

describe('chart source', () => {
  it('reads raw samples for the 5-minute smoke view, which asks for a dozen fat points', () => {
    // LatencyChart asks 5 min / (5 probes × 5 s) = 12 points in the smoke view.
    expect(source(5 * MINUTE, 12)).toBe('raw');
    expect(source(5 * MINUTE, 1_400)).toBe('raw');
  });

  it('reads raw for half an hour on a narrow chart rather than 30 minute points', () => {
    expect(source(30 * MINUTE, 100)).toBe('raw');
    // An hour of minutes is 60 points: enough to draw, so the cheaper source stays.
    expect(source(HOUR, 100)).toBe('minute');
  });

  it('keeps the rollups where they draw enough points', () => {
    expect(source(DAY, 1_400)).toBe('minute');
    expect(source(DAY, 100)).toBe('minute');
    expect(source(7 * DAY, 1_400)).toBe('hour');
    expect(source(30 * DAY, 1_400)).toBe('hour');
  });

  it('never reads past what is kept: a range older than raw retention is not read raw', () => {
    expect(chooseSource(NOW - 3 * DAY, NOW - 3 * DAY + 5 * MINUTE, 12, RETENTION, NOW)).toBe('minute');
    expect(chooseSource(NOW - 20 * DAY, NOW - 20 * DAY + HOUR, 12, RETENTION, NOW)).toBe('hour');
  });

  it('bounds the finer reads: few points asked for over long ranges never means every raw row', () => {
    // 24 hour points are more than the 12 asked for: hours, not 86,400 raw rows.
    expect(source(DAY, 12)).toBe('hour');
    // 48 hours asked 100 points: hours give 48, too few, so minutes (2,880 rows), still not raw.
    expect(source(2 * DAY - MINUTE, 100)).toBe('minute');
    // 30 days on a tiny chart: hours, never 43,200 minute rows.
    expect(source(30 * DAY, 10)).toBe('hour');
  });
});
