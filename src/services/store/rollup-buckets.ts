// Rollups gathered in memory before they are written: by bucket start (a minute or an hour, UTC
// ms), then by series id.
import { addSample, emptyRollup, type Rollup } from '../../domain/monitoring/rollup';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** Rollups by bucket start, then series id. */
export type Buckets = Map<number, Map<number, Rollup>>;

export function accumulate(into: Buckets, series: number, bucket: number, rttMs: number | null, code: number | null): void {
  let inBucket = into.get(bucket);
  if (!inBucket) {
    inBucket = new Map();
    into.set(bucket, inBucket);
  }
  let r = inBucket.get(series);
  if (!r) {
    r = emptyRollup();
    inBucket.set(series, r);
  }
  addSample(r, rttMs, code ?? undefined);
}
