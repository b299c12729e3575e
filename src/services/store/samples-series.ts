// Chart reads. Short recent ranges come from raw samples (exact medians); longer ones from the
// minute or hour rollups, so a 30-day chart reads 720 hour rows per kind, not half a million
// samples. Either way a kind gets at most about `maxPoints` points, on a step aligned to the
// epoch so a live chart's points stay put as the window slides.
import { decodeHistogram, HISTOGRAM_SIZE } from '../../domain/monitoring/histogram';
import { addSample, emptyRollup, lossPct, meanMs, mergeInto, percentileMs, type Rollup } from '../../domain/monitoring/rollup';
import type { ProbeKind } from '../../domain/monitoring/sample';
import { medianOf } from '../../domain/monitoring/median';
import type { Db } from './database';
import type { RetentionPolicy } from './samples-repo';

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

/** The finest source that holds the whole range and needs at most READ_FACTOR rows per point. */
export function chooseSource(from: number, to: number, maxPoints: number, retention: RetentionPolicy, now: number): SeriesSource {
  const range = Math.max(to - from, 1);
  // Raw rows come at most once a second per kind (the shortest probe interval).
  if (from >= now - retention.rawMs && range / SECOND <= maxPoints * READ_FACTOR) return 'raw';
  if (from >= now - retention.minuteMs && range / MINUTE <= maxPoints * READ_FACTOR) return 'minute';
  return 'hour';
}

export interface SeriesSources {
  /** A kind's series id for the queried server, or undefined when it has no history. */
  seriesOf(kind: ProbeKind): number | undefined;
  /** Raw rows [at, rtt_us, code] in [from, to) that are not rolled up yet. */
  openRows(series: number, from: number, to: number): [number, number | null, number | null][];
}

export function querySeries(db: Db, q: SeriesQuery, sources: SeriesSources, retention: RetentionPolicy, now: number): SeriesResult {
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
    else if (source === 'raw') points[kind] = fromRaw(db, q, series, stepMs);
    else points[kind] = fromRollups(db, source === 'minute' ? 'probe_minute' : 'probe_hour', q, series, stepMs, sources);
  }
  return { source, stepMs, from: q.from, to: q.to, points };
}

function fromRaw(db: Db, q: SeriesQuery, series: number, stepMs: number): SeriesPoint[] {
  const rows = db
    .prepare('SELECT at, rtt_us, code FROM probe_raw WHERE series = ? AND at >= ? AND at < ? ORDER BY at')
    .all(series, q.from, q.to) as { at: number; rtt_us: number | null; code: number | null }[];
  const out: SeriesPoint[] = [];
  let t = Number.NaN;
  let r = emptyRollup();
  let rtts: number[] = [];
  let code: number | null = null;
  const close = () => {
    if (r.count > 0) out.push(toPoint(t, r, medianOf(rtts), code));
  };
  for (const row of rows) {
    const step = Math.floor(row.at / stepMs) * stepMs;
    if (step !== t) {
      close();
      t = step;
      r = emptyRollup();
      rtts = [];
      code = null;
    }
    const rtt = row.rtt_us === null ? null : row.rtt_us / 1000;
    addSample(r, rtt, row.code ?? undefined);
    if (rtt !== null) rtts.push(rtt);
    if (rtt !== null && row.code !== null) code = row.code;
  }
  close();
  return out;
}

function fromRollups(db: Db, table: string, q: SeriesQuery, series: number, stepMs: number, sources: SeriesSources): SeriesPoint[] {
  const from = alignDown(q.from, table === 'probe_hour' ? HOUR : MINUTE);
  const rows = db
    .prepare(`SELECT bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist FROM ${table} WHERE series = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`)
    .all(series, from, q.to) as RollupRow[];
  const steps = new Map<number, Rollup>();
  const stepOf = (t: number): Rollup => {
    const key = Math.floor(t / stepMs) * stepMs;
    let r = steps.get(key);
    if (!r) {
      r = emptyRollup();
      steps.set(key, r);
    }
    return r;
  };
  for (const row of rows) mergeInto(stepOf(row.bucket), fromRow(row));
  // The stretch no flush has rolled up yet (the last minute or so) comes from raw rows.
  for (const [at, rttUs, code] of sources.openRows(series, from, q.to)) addSample(stepOf(at), rttUs === null ? null : rttUs / 1000, code ?? undefined);
  return [...steps.entries()]
    .filter(([, r]) => r.count > 0)
    .sort(([a], [b]) => a - b)
    .map(([t, r]) => toPoint(t, r, percentileMs(r, 0.5)));
}

interface RollupRow {
  bucket: number;
  count: number;
  lost: number;
  flagged: number;
  min_ms: number | null;
  max_ms: number | null;
  sum_ms: number;
  sumsq_ms: number;
  hist: Uint8Array;
}

function fromRow(row: RollupRow): Rollup {
  return { count: row.count, lost: row.lost, flagged: row.flagged, minMs: row.min_ms, maxMs: row.max_ms, sumMs: row.sum_ms, sumSqMs: row.sumsq_ms, hist: decodeHistogram(row.hist) };
}

function toPoint(t: number, r: Rollup, median: number | null, code: number | null = null): SeriesPoint {
  const hist: [number, number][] = [];
  for (let i = 0; i < HISTOGRAM_SIZE; i += 1) {
    const c = r.hist[i] ?? 0;
    if (c > 0) hist.push([i, c]);
  }
  return { t, count: r.count, lost: r.lost, lossPct: lossPct(r), flagged: r.flagged, minMs: r.minMs, maxMs: r.maxMs, medianMs: median, meanMs: meanMs(r), code, hist };
}

function alignDown(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}
