// Chart reads. Short recent ranges come from raw samples (exact medians); longer ones from the
// minute or hour rollups, so a 30-day chart reads 720 hour rows per kind, not half a million
// samples. Either way a kind gets at most about `maxPoints` points, on a step aligned to the
// epoch so a live chart's points stay put as the window slides.
//
// This is the chart's hot path, so it works on the sparse histogram ([bucket, count] pairs, a
// dozen per row) rather than the 82-slot dense array: a row that is its own step (the usual case:
// 720 hour rows for 30 days, 1,440 minute rows for 24 hours) goes straight from its blob to a
// point; only steps that merge several rows, or the stretch not rolled up yet, add into a dense
// array. The SQL itself is a single primary-key range scan per kind on statements prepared once;
// what costs there is handing each value to JavaScript, so only the columns a point shows are
// read (no sum of squares) (test/bench/chart-query.ts). Closed rollups are packed into blocks
// (rollup-blocks.ts): a 30-day chart unpacks two blocks of hours per kind, kept decoded for the
// next read (rollup-block-cache.ts), and their rows carry their histogram as pairs already, so
// they skip the blob step.
import { bucketOf, decodeHistogram, decodeHistogramPairs, HISTOGRAM_SIZE, pairsOf } from '../../domain/monitoring/histogram';
import { percentileOfPairs } from '../../domain/monitoring/rollup';
import type { ProbeKind } from '../../domain/monitoring/sample';
import { isFlaggedCode } from '../../domain/monitoring/sample';
import type { Db } from './database';
import type { RetentionPolicy } from './retention';
import { createRollupBlocks, hasBlockTable, type ChartRow } from './rollup-blocks';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Rows read per output point at most: past this a coarser source is used. */
const READ_FACTOR = 6;

export type SeriesSource = 'raw' | 'minute' | 'hour';

export interface SeriesQuery {
  serverId: string;
  kinds: readonly ProbeKind[];
  from: number;
  to: number;
  maxPoints: number;
}

export interface SeriesPoint {
  /** Start of the point's step, UTC ms. */
  t: number;
  count: number;
  lost: number;
  lossPct: number;
  /** Answers with a 5xx/6xx code: alive but flagged. */
  flagged: number;
  minMs: number | null;
  maxMs: number | null;
  medianMs: number | null;
  meanMs: number | null;
  /** SIP code of the step's last answer; raw data only (rollups keep the flagged count), else null. */
  code: number | null;
  /** The round-trip distribution for the smoke view: [bucket index, count] of non-empty buckets. */
  hist: [number, number][];
}

export interface SeriesResult {
  source: SeriesSource;
  stepMs: number;
  from: number;
  to: number;
  points: Partial<Record<ProbeKind, SeriesPoint[]>>;
}

/**
 * A chart drawn from fewer steps than this is no chart (5 minutes of minute rollups are five
 * points): below it the finer source is read even past READ_FACTOR rows per point. Bounded: it
 * only happens when the coarser buckets are under 60 for the range, so at most 60 buckets' worth
 * of the finer rows (one hour of raw at one sample a second, 60 hours of minutes).
 */
const MIN_CHART_POINTS = 60;

/**
 * The finest source that holds the whole range and needs at most READ_FACTOR rows per point, or
 * that the next coarser one would leave with too few points to draw (the smoke view asks for few,
 * fat points: each wants its own distribution, which only raw samples have at 5 minutes).
 */
export function chooseSource(from: number, to: number, maxPoints: number, retention: RetentionPolicy, now: number): SeriesSource {
  const range = Math.max(to - from, 1);
  const tooCoarse = (resolution: number) => range / resolution < Math.min(maxPoints, MIN_CHART_POINTS);
  // Raw rows come at most once a second per kind (the shortest probe interval).
  if (from >= now - retention.rawMs && (range / SECOND <= maxPoints * READ_FACTOR || tooCoarse(MINUTE))) return 'raw';
  if (from >= now - retention.minuteMs && (range / MINUTE <= maxPoints * READ_FACTOR || tooCoarse(HOUR))) return 'minute';
  return 'hour';
}

export interface SeriesSources {
  /** A kind's series id for the queried server, or undefined when it has no history. */
  seriesOf(kind: ProbeKind): number | undefined;
  /** Raw rows [at, rtt_us, code] in [from, to) that are not rolled up yet. */
  openRows(series: number, from: number, to: number): [number, number | null, number | null][];
}

type RawRow = [at: number, rttUs: number | null, code: number | null];
/**
 * A rollup row as the chart reads it: a packed block's row (ChartRow), or a stored row whose
 * histogram is still in its sparse form (or missing).
 */
type RollupRow = [...ChartHead, hist: Uint8Array | ChartRow[7] | null];
type ChartHead = ChartRow extends [...infer Head, ChartRow[7]] ? Head : never;

/**
 * Prepares the rollup range scans once; `query` then runs one per kind asked for. Raw samples come
 * from `rawRange` (packed chunks and raw rows merged, see samples-chunks.ts).
 */
export function createSeriesReader(db: Db, rawRange: (series: number, from: number, to: number) => RawRow[]) {
  const rollupRange = (table: string) =>
    db
      .prepare(
        `SELECT bucket, count, lost, flagged, min_ms, max_ms, sum_ms, hist FROM ${table} WHERE series = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
      )
      .raw();
  const minuteRange = rollupRange('probe_minute');
  const hourRange = rollupRange('probe_hour');
  // Closed rollups are packed into blocks (rollup-blocks.ts); the open stretch is still rows.
  const blocks = hasBlockTable(db) ? createRollupBlocks(db) : null;
  const rollupRows = (unit: number, series: number, from: number, to: number): RollupRow[] => {
    const rows = (unit === MINUTE ? minuteRange : hourRange).all(series, from, to) as RollupRow[];
    if (!blocks) return rows;
    const packed: RollupRow[] = blocks.chartRange(series, unit, from, to);
    // Packed rows come before the rows still open; a bucket in both is merged by its step.
    return packed.length === 0 ? rows : rows.length === 0 ? packed : packed.concat(rows);
  };

  return function querySeries(q: SeriesQuery, sources: SeriesSources, retention: RetentionPolicy, now: number): SeriesResult {
    const maxPoints = Math.max(2, Math.floor(q.maxPoints));
    const source = chooseSource(q.from, q.to, maxPoints, retention, now);
    const resolution = source === 'raw' ? 1 : source === 'minute' ? MINUTE : HOUR;
    // One point fewer than allowed: aligning the first step to the epoch can add one at the end.
    const wanted = Math.ceil(Math.max(q.to - q.from, 1) / (maxPoints - 1));
    const stepMs = Math.max(resolution, Math.ceil(wanted / resolution) * resolution);
    const points: Partial<Record<ProbeKind, SeriesPoint[]>> = {};
    for (const kind of new Set(q.kinds)) {
      const series = sources.seriesOf(kind);
      if (series === undefined) points[kind] = [];
      else if (source === 'raw') points[kind] = fromRaw(rawRange(series, q.from, q.to), stepMs);
      else {
        const from = Math.floor(q.from / resolution) * resolution;
        const rows = rollupRows(resolution, series, from, q.to);
        // The stretch no flush has rolled up yet (the last minute or so) comes from raw rows.
        points[kind] = fromRollups(rows, sources.openRows(series, from, q.to), stepMs);
      }
    }
    return { source, stepMs, from: q.from, to: q.to, points };
  };
}

export type SeriesReader = ReturnType<typeof createSeriesReader>;

/** One step being summed: the sparse histogram while it holds one row, a dense one once it merges more. */
interface Step {
  t: number;
  count: number;
  lost: number;
  flagged: number;
  minMs: number | null;
  maxMs: number | null;
  sumMs: number;
  pairs: [number, number][] | null;
  dense: number[] | null;
}

const newStep = (t: number): Step => ({ t, count: 0, lost: 0, flagged: 0, minMs: null, maxMs: null, sumMs: 0, pairs: null, dense: null });

function denseOf(s: Step): number[] {
  if (s.dense) return s.dense;
  const dense = new Array<number>(HISTOGRAM_SIZE).fill(0);
  for (const [i, c] of s.pairs ?? []) dense[i] = (dense[i] ?? 0) + c;
  s.dense = dense;
  s.pairs = null;
  return dense;
}

function fromRollups(rows: readonly RollupRow[], open: readonly RawRow[], stepMs: number): SeriesPoint[] {
  // Rollup buckets come in order and open rows all lie past them, so steps are met in order;
  // the map only guards against a row out of place.
  const steps = new Map<number, Step>();
  let last: Step | undefined;
  let ordered = true;
  const stepAt = (at: number): Step => {
    const t = Math.floor(at / stepMs) * stepMs;
    if (last?.t === t) return last;
    let s = steps.get(t);
    if (!s) {
      if (last && t < last.t) ordered = false;
      s = newStep(t);
      steps.set(t, s);
    }
    last = s;
    return s;
  };
  for (const [bucket, count, lost, flagged, minMs, maxMs, sumMs, hist] of rows) {
    const s = stepAt(bucket);
    const fresh = s.pairs === null && s.dense === null;
    s.count += count;
    s.lost += lost;
    s.flagged += flagged;
    s.minMs = minMs === null ? s.minMs : s.minMs === null ? minMs : Math.min(s.minMs, minMs);
    s.maxMs = maxMs === null ? s.maxMs : s.maxMs === null ? maxMs : Math.max(s.maxMs, maxMs);
    s.sumMs += sumMs;
    if (Array.isArray(hist)) {
      if (fresh) s.pairs = hist;
      else {
        const dense = denseOf(s);
        for (const [i, c] of hist) dense[i] = (dense[i] ?? 0) + c;
      }
    } else if (fresh) s.pairs = decodeHistogramPairs(hist);
    else decodeHistogram(hist, denseOf(s));
  }
  for (const [at, rttUs, code] of open) {
    const s = stepAt(at);
    s.count += 1;
    if (rttUs === null) {
      s.lost += 1;
      continue;
    }
    const rtt = rttUs / 1000;
    if (isFlaggedCode(code ?? undefined)) s.flagged += 1;
    s.minMs = s.minMs === null ? rtt : Math.min(s.minMs, rtt);
    s.maxMs = s.maxMs === null ? rtt : Math.max(s.maxMs, rtt);
    s.sumMs += rtt;
    const dense = denseOf(s);
    const b = bucketOf(rtt);
    dense[b] = (dense[b] ?? 0) + 1;
  }
  const out: SeriesPoint[] = [];
  for (const s of steps.values()) {
    if (s.count === 0) continue;
    const hist = s.dense ? pairsOf(s.dense) : (s.pairs ?? []);
    out.push(point(s, percentileOfPairs(hist, 0.5, s.minMs, s.maxMs), null, hist));
  }
  return ordered ? out : out.sort((a, b) => a.t - b.t);
}

function fromRaw(rows: readonly RawRow[], stepMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let s: Step | undefined;
  let rtts: number[] = [];
  let code: number | null = null;
  const close = () => {
    if (!s || s.count === 0) return;
    // Exact median from the step's own samples; sorted, they also give the histogram in order.
    rtts.sort((a, b) => a - b);
    const mid = rtts.length >> 1;
    const median =
      rtts.length === 0 ? null : rtts.length % 2 === 1 ? (rtts[mid] as number) : ((rtts[mid - 1] as number) + (rtts[mid] as number)) / 2;
    const hist: [number, number][] = [];
    for (const rtt of rtts) {
      const b = bucketOf(rtt);
      const tail = hist[hist.length - 1];
      if (tail && tail[0] === b) tail[1] += 1;
      else hist.push([b, 1]);
    }
    out.push(point(s, median, code, hist));
  };
  for (const [at, rttUs, rowCode] of rows) {
    const t = Math.floor(at / stepMs) * stepMs;
    if (s?.t !== t) {
      close();
      s = newStep(t);
      rtts = [];
      code = null;
    }
    s.count += 1;
    if (rttUs === null) {
      s.lost += 1;
      continue;
    }
    const rtt = rttUs / 1000;
    if (isFlaggedCode(rowCode ?? undefined)) s.flagged += 1;
    s.minMs = s.minMs === null ? rtt : Math.min(s.minMs, rtt);
    s.maxMs = s.maxMs === null ? rtt : Math.max(s.maxMs, rtt);
    s.sumMs += rtt;
    rtts.push(rtt);
    if (rowCode !== null) code = rowCode;
  }
  close();
  return out;
}

function point(s: Step, medianMs: number | null, code: number | null, hist: [number, number][]): SeriesPoint {
  const answered = s.count - s.lost;
  return {
    t: s.t,
    count: s.count,
    lost: s.lost,
    lossPct: s.count === 0 ? 0 : (100 * s.lost) / s.count,
    flagged: s.flagged,
    minMs: s.minMs,
    maxMs: s.maxMs,
    medianMs,
    meanMs: answered === 0 ? null : s.sumMs / answered,
    code,
    hist,
  };
}
