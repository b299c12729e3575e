import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, sortByIp } from '../../domain/fleet/ip';
import { formatRelative, ipSortKey, relativeNow } from './format';

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

describe('the IP column order', () => {
  it('is the order the host lists servers in, IPv6 included (numeric, not as the text reads)', () => {
    const byConsole = (ips: string[]) => [...ips].sort((a, b) => (ipSortKey(a) < ipSortKey(b) ? -1 : ipSortKey(a) > ipSortKey(b) ? 1 : 0));
    expect(byConsole(['2001:db8::10', '2001:db8::9', '10.0.0.11', '10.0.0.2', '::1', '2001:db8::a'])).toEqual([
      '10.0.0.2',
      '10.0.0.11',
      '::1',
      '2001:db8::9',
      '2001:db8::a',
      '2001:db8::10',
    ]);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 40 }), (texts) => {
        const ips = [...new Set(texts.map(canonicalIp).filter((ip): ip is string => ip !== null))];
        expect(byConsole(ips)).toEqual(sortByIp(ips, (ip) => ip));
      }),
      { numRuns: 300 },
    );
  });
});
