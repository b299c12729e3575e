import { describe, expect, it } from 'vitest';
import { lost } from './check';

describe('lost', () => {
  it('hands out one frozen result per reason, so a fleet of losses makes no object each', () => {
    const a = lost('refused');
    expect(a).toEqual({ rttMs: null, error: 'refused' });
    expect(lost('refused')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(lost('timeout')).not.toBe(a);
  });

  it('still answers past its bound of kept reasons, with a result of the reason asked', () => {
    for (let i = 0; i < 200; i += 1) expect(lost(`reason ${i}`)).toEqual({ rttMs: null, error: `reason ${i}` });
    expect(lost('reason 199')).toEqual({ rttMs: null, error: 'reason 199' });
  });
});
