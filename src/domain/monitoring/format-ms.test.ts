import { describe, expect, it } from 'vitest';
import { formatMs } from './format-ms';

describe('formatMs', () => {
  it('keeps about three significant figures from loopback to WAN', () => {
    expect(formatMs(0.0523)).toBe('0.052');
    expect(formatMs(1.8449)).toBe('1.84');
    expect(formatMs(23.44)).toBe('23.4');
    expect(formatMs(120.4)).toBe('120');
    expect(formatMs(2_000)).toBe('2000');
  });
  it('shows a dash for no value', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(undefined)).toBe('—');
    expect(formatMs(Number.NaN)).toBe('—');
  });
});
