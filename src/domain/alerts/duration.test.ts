import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('reads the units people type, alone and combined', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1H30m')).toBe(5_400_000);
    expect(parseDuration(' 2d ')).toBe(172_800_000);
    expect(parseDuration('1w')).toBe(604_800_000);
  });

  it('refuses what is not a duration, zero, and more than a year', () => {
    for (const bad of ['', '1', 'h', '1x', '-1h', '1.5h', '1h 30m', '0m', '400d', 'forever']) expect(parseDuration(bad)).toBeNull();
  });

  it('writes the two largest units', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
  });
});
