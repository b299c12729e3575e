import { describe, expect, it } from 'vitest';
import { bucketLowerMs, bucketOf, HISTOGRAM_SIZE } from '../../domain/monitoring/histogram';
import { RTT_EDGES_MS, RTT_LE_LABELS, rttBucketOf } from './rtt-buckets';

describe('exposed round-trip buckets', () => {
  it('are every 8th edge of the store histogram, ×4 apart from 0.01 ms to ~10.5 s, plus +Inf', () => {
    expect(RTT_EDGES_MS).toHaveLength(11);
    RTT_EDGES_MS.forEach((edge, k) => expect(edge).toBe(bucketLowerMs(1 + 8 * k)));
    expect(RTT_EDGES_MS[0]).toBeCloseTo(0.01, 12);
    expect(RTT_EDGES_MS.at(-1)).toBe(bucketLowerMs(HISTOGRAM_SIZE - 1));
    expect(RTT_LE_LABELS).toEqual([
      '0.00001',
      '0.00004',
      '0.00016',
      '0.00064',
      '0.00256',
      '0.01024',
      '0.04096',
      '0.16384',
      '0.65536',
      '2.62144',
      '10.48576',
      '+Inf',
    ]);
  });

  it("put a round trip on an edge in that edge's bucket (le is inclusive) and above it in the next", () => {
    expect(rttBucketOf(0)).toBe(0);
    expect(rttBucketOf(0.01)).toBe(0);
    expect(rttBucketOf(0.0100001)).toBe(1);
    expect(rttBucketOf(RTT_EDGES_MS[5] as number)).toBe(5);
    expect(rttBucketOf(RTT_EDGES_MS.at(-1) as number)).toBe(10);
    expect(rttBucketOf(60_000)).toBe(11);
  });

  it('agree with the store: every store bucket lies wholly inside one exposed bucket', () => {
    for (let i = 1; i < HISTOGRAM_SIZE - 1; i += 1) {
      // A value just inside the store bucket's both ends lands in the same exposed bucket.
      const low = bucketLowerMs(i) * 1.000001;
      const high = bucketLowerMs(i + 1) * 0.999999;
      expect(bucketOf(low)).toBe(i);
      expect(rttBucketOf(high)).toBe(rttBucketOf(low));
    }
  });
});
