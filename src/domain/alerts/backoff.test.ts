import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MS, retryable, retryDelayMs } from './backoff';

describe('delivery retries', () => {
  it('doubles from 5 s and stops growing at 10 minutes', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(12)).toBe(MAX_RETRY_MS);
  });

  it('believes a longer Retry-After, within the cap', () => {
    expect(retryDelayMs(1, 30_000)).toBe(30_000);
    expect(retryDelayMs(3, 1_000)).toBe(20_000);
    expect(retryDelayMs(1, 10 * MAX_RETRY_MS)).toBe(MAX_RETRY_MS);
  });

  it('retries silence, 5xx, 408 and 429, not other 4xx', () => {
    expect([null, 500, 502, 503, 408, 429].every(retryable)).toBe(true);
    expect([400, 401, 403, 404, 410, 422].some(retryable)).toBe(false);
  });
});
