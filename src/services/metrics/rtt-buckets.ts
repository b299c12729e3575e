// The round-trip-time buckets Switchyard exposes to Prometheus.
//
// They are a subset of the store's own histogram edges (src/domain/monitoring/histogram.ts):
// every 8th edge, i.e. steps of ×4 from 0.01 ms up to ~10.5 s, plus +Inf. Each Prometheus bucket
// is then an exact union of store buckets, so a quantile read in Grafana and one read in the
// console disagree only by the coarser step, never by a shifted edge. Not all 82 store buckets:
// every bucket is a series in Prometheus, and 82 buckets × 5 probe kinds × 1,000 servers would be
// 410,000 series for latency alone; 12 buckets (with _sum and _count) make 70,000, and still place
// p50/p95 within a factor of 4 before interpolation (histogram_quantile interpolates inside it).
import { BUCKETS_PER_DOUBLING, bucketLowerMs, HISTOGRAM_SIZE } from '../../domain/monitoring/histogram';

/** Store buckets per exposed bucket: two doublings, a factor of 4. */
const STRIDE = 2 * BUCKETS_PER_DOUBLING;

function exposedEdgesMs(): number[] {
  const edges: number[] = [];
  // Store bucket 1 starts at 0.01 ms; the last store bucket (HISTOGRAM_SIZE - 1) starts at ~10.5 s.
  for (let i = 1; i <= HISTOGRAM_SIZE - 1; i += STRIDE) edges.push(bucketLowerMs(i));
  return edges;
}

/** Upper bounds (inclusive, as Prometheus' `le` is) of the finite buckets, in milliseconds. */
export const RTT_EDGES_MS: readonly number[] = exposedEdgesMs();

/** The same bounds as `le` label values in seconds, the base unit; the last one is "+Inf". */
export const RTT_LE_LABELS: readonly string[] = [
  // 12 significant digits drop the binary noise of ms → s (10.485760000000001 → 10.48576).
  ...RTT_EDGES_MS.map((ms) => String(Number((ms / 1_000).toPrecision(12)))),
  '+Inf',
];

/** Index of the bucket (0 … RTT_EDGES_MS.length, the last being +Inf) a round trip falls into. */
export function rttBucketOf(rttMs: number): number {
  // A dozen comparisons at most: constant work, and exact at the edges where a logarithm is not.
  let i = 0;
  while (i < RTT_EDGES_MS.length && rttMs > (RTT_EDGES_MS[i] as number)) i += 1;
  return i;
}
