import { describe, expect, it } from 'vitest';
import { formatRelative, relativeNow } from './format';

const NOW = Date.UTC(2026, 11, 2, 12);

describe('relative times', () => {
  it('says "just now" for a stamp made a moment ago, never "in <1 min"', () => {
    expect(formatRelative(NOW, NOW)).toBe('just now');
    expect(formatRelative(NOW - 20_000, NOW)).toBe('just now');
    // The host's clock a little ahead of the browser's: still the past.
    expect(formatRelative(NOW + 3_000, NOW)).toBe('just now');
  });

  it('keeps the direction for real past and future times', () => {
    expect(formatRelative(NOW - 5 * 60_000, NOW)).toBe('5 min ago');
    expect(formatRelative(NOW + 40_000, NOW)).toBe('in <1 min');
    expect(formatRelative(NOW + 3 * 86_400_000, NOW)).toBe('in 3 d');
    expect(formatRelative(NOW - 3 * 3_600_000, NOW)).toBe('3 h ago');
  });

  it('measures from the real time when the coarse clock lags it (a snapshot saved 25 s after a tick)', () => {
    const coarse = NOW - 25_000;
    const savedAt = NOW - 1_000;
    // With the lagging clock the stamp lies 24 s ahead and read "in <1 min".
    expect(formatRelative(savedAt, coarse)).toBe('in <1 min');
    expect(formatRelative(savedAt, relativeNow(coarse, NOW, null))).toBe('just now');
  });

  it('keeps a pinned clock (a snapshot on show) as it is', () => {
    expect(relativeNow(NOW - 25_000, NOW, NOW - 86_400_000)).toBe(NOW - 86_400_000);
    expect(relativeNow(NOW, NOW - 5_000, null)).toBe(NOW);
  });
});
