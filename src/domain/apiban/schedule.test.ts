import { describe, expect, it } from 'vitest';
import { applyReason, entryTimeoutOf, nextApplyAt, nextSyncAt } from './schedule';

const H = 3_600_000;
const WEEK = 604_800;

describe('nextSyncAt', () => {
  it('is due at once before the first sync, then an interval after the last one; never while off or keyless', () => {
    expect(nextSyncAt({ enabled: true, intervalSec: 3600 }, true, null, 1_000)).toBe(1_000);
    expect(nextSyncAt({ enabled: true, intervalSec: 3600 }, true, 5_000, 9_000)).toBe(5_000 + H);
    expect(nextSyncAt({ enabled: false, intervalSec: 3600 }, true, 5_000, 9_000)).toBeNull();
    expect(nextSyncAt({ enabled: true, intervalSec: 3600 }, false, 5_000, 9_000)).toBeNull();
  });
});

describe('applyReason', () => {
  const base = { method: 'ipset', listChangedAt: 10 * H, entryTimeoutSec: WEEK, retryAfterMs: H };
  it('applies a server never given the list, and one given it with another method', () => {
    expect(applyReason({ ...base, last: null, now: 11 * H })).toBe('never applied');
    expect(applyReason({ ...base, last: { method: 'nftables', ok: true, appliedAt: 11 * H }, now: 11 * H })).toBe('method changed');
  });

  it('applies after the list changed, and before the entries time out (at half their timeout)', () => {
    expect(applyReason({ ...base, last: { method: 'ipset', ok: true, appliedAt: 9 * H }, now: 11 * H })).toBe('list changed');
    expect(applyReason({ ...base, last: { method: 'ipset', ok: true, appliedAt: 10 * H }, now: 11 * H })).toBeNull();
    expect(applyReason({ ...base, last: { method: 'ipset', ok: true, appliedAt: 10 * H }, now: 10 * H + 84 * H - 1 })).toBeNull();
    expect(applyReason({ ...base, last: { method: 'ipset', ok: true, appliedAt: 10 * H }, now: 10 * H + 84 * H })).toBe(
      'entries would time out',
    );
  });

  it('retries a failed server a sync interval later, not in a loop', () => {
    expect(applyReason({ ...base, last: { method: 'ipset', ok: false, appliedAt: 11 * H }, now: 11 * H + 1 })).toBeNull();
    expect(applyReason({ ...base, last: { method: 'ipset', ok: false, appliedAt: 11 * H }, now: 12 * H })).toBe('retry after a failure');
    expect(
      nextApplyAt({ last: { method: 'ipset', ok: false, appliedAt: 11 * H }, now: 11 * H, entryTimeoutSec: WEEK, retryAfterMs: H }),
    ).toBe(12 * H);
    expect(
      nextApplyAt({ last: { method: 'ipset', ok: true, appliedAt: 11 * H }, now: 11 * H, entryTimeoutSec: WEEK, retryAfterMs: H }),
    ).toBe(11 * H + 84 * H);
  });
});

describe('entryTimeoutOf', () => {
  it("reads the recipe's timeout, 7 days when it is missing or not a number", () => {
    expect(entryTimeoutOf({ timeout: '3600' })).toBe(3600);
    expect(entryTimeoutOf({})).toBe(WEEK);
    expect(entryTimeoutOf({ timeout: 'soon' })).toBe(WEEK);
  });
});
