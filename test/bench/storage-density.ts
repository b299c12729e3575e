// Bytes on disk per stored probe sample and per rollup row, for the row-per-sample format of
// schema 16 (today's until migration 017), the packed chunks that replaced it, and Prometheus'
// TSDB given the very same samples in the same run.
//
// How: SERVERS servers × SIP + ICMP at a 5 s interval (test/bench/lib/realistic-samples.ts) for
// HOURS hours, flushed a second at a time.
// - Row format: a fresh file migrated to schema 16; each flush inserts one probe_raw row per
//   sample and rolls minutes up as they close, exactly as the repository of schema 16 wrote.
// - Chunks: a fresh file at the current schema; each flush goes through the repository's
//   insertBatch (raw head rows, rollups, then packing into 15-minute chunks).
// - Prometheus: the same samples as an OpenMetrics file (round trip in seconds, NaN for a loss,
//   and the SIP code as a second series, since a Prometheus sample holds one value) backfilled
//   with `promtool tsdb create-blocks-from openmetrics` into 2-hour blocks; the blocks' bytes
//   (chunks, index, meta) divided by the probe samples.
// Sizes are SQLite's own page accounting (dbstat: whole pages, slack included) after a WAL
// checkpoint, per table and its indexes.
//
// Rollups (schema 20 on) are packed into blocks once their hour has passed: a day of minutes or
// thirty days of hours per block. The 6-hour run fills neither, so each unit is simulated apart:
// one block's span of the same generator's samples (a day; thirty days) for ROLLUP_SERVERS servers
// rolled up into rows, written into a fresh file's probe_minute or probe_hour and packed as the
// hourly packing packs them (full blocks of 1,440 and 720 rows, format 2), then measured the same
// way (dbstat). Each stream's bits a row are logged for format 2 and for format 1 (whole µs). In the 6-hour run, block bytes are split between units by their blobs' share.
//
// The 1,000-server steady state (default retention: raw 48 h, minutes 14 days, hours a year) and
// the 30-day snapshot are extrapolated linearly from these per-sample and per-row figures:
// 2,000 series × samples or rows kept × bytes each, plus per series the open stretch still held
// as rows (the last hour of minutes, two hour rows) and half a block of each unit that retention,
// which drops whole blocks, keeps past its limit on average. It is a simulation, not a year's run.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Sample } from '../../src/domain/monitoring/sample';
import { openDatabase, type Db } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { KIND_CODE } from '../../src/services/store/sample-kinds';
import { createRollupWriter } from '../../src/services/store/samples-rollups';
import { addSample, emptyRollup, type Rollup } from '../../src/domain/monitoring/rollup';
import { encodeHistogram } from '../../src/domain/monitoring/histogram';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { BLOCK_SPAN, blockRowOf, createRollupBlocks, HOUR as HOUR_MS, MINUTE as MINUTE_MS } from '../../src/services/store/rollup-blocks';
import { encodeRollupBlock } from '../../src/services/store/rollup-block-codec';
import { emit, fmt, hasFlag, log } from './lib/report';
import { realisticBatches, type FleetShape } from './lib/realistic-samples';

const SHAPE: FleetShape = { servers: hasFlag('short') ? 50 : 100, kinds: ['sip-udp', 'icmp'], intervalMs: 5_000, seed: 17 };
const HOURS = hasFlag('short') ? 3 : 6;
const FROM = Date.UTC(2026, 0, 5);
const TO = FROM + HOURS * 3_600_000;
const dir = path.resolve('.tmp/bench/storage-density');
const MB = 1_000_000;
const FLEET_SERIES = 1_000 * 2;
const KEPT = { raw: (48 * 3_600_000) / 5_000, minute: 14 * 1_440, hour: 366 * 24, hour30d: 30 * 24 };
/** Servers whose rollups fill one whole block per series for each unit (a day of minutes, thirty days of hours). */
const ROLLUP_SERVERS = { minute: hasFlag('short') ? 10 : 40, hour: hasFlag('short') ? 4 : 10 };
/** Rows a series holds beyond retention's count: the open stretch as rows, half a block kept past the limit. */
const OPEN_ROWS = { minute: 60, hour: 2 };
const SLACK_ROWS = { minute: (BLOCK_SPAN[MINUTE_MS] ?? 0) / MINUTE_MS / 2, hour: (BLOCK_SPAN[HOUR_MS] ?? 0) / HOUR_MS / 2 };

function freshDb(name: string, schema = MIGRATIONS): Db {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  migrate(db, file, Date.now, schema);
  return db;
}

/** Bytes of each table with its indexes, whole pages. */
function tableBytes(db: Db): Map<string, number> {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = db
    .prepare(
      'SELECT coalesce(m.tbl_name, d.name) AS tbl, sum(d.pgsize) AS bytes FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY 1',
    )
    .all() as { tbl: string; bytes: number }[];
  return new Map(rows.map((r) => [r.tbl, r.bytes]));
}

interface Measured {
  samples: number;
  rawBytes: number;
  /** Packed samples, their table's bytes (index included) and the bare blobs' bytes. */
  packed: { samples: number; bytes: number; blobBytes: number };
  /** Row-per-sample bytes of the unpacked head, per series. */
  headPerSeries: number;
  minuteRows: number;
  minuteBytes: number;
  hourRows: number;
  hourBytes: number;
  /** Rollup rows packed in blocks and their bytes (table and index, split by blob share). */
  packedMinute: { rows: number; bytes: number };
  packedHour: { rows: number; bytes: number };
  ms: number;
}

/** Packed rollup rows and bytes of one unit; the block table's pages are shared out by blob bytes. */
function packedOf(db: Db, bytes: Map<string, number>, unit: number): { rows: number; bytes: number } {
  if (!bytes.has('probe_rollup_block')) return { rows: 0, bytes: 0 };
  const sum = (where: string) => Number(db.prepare(`SELECT coalesce(sum(length(data)), 0) FROM probe_rollup_block ${where}`).pluck().get());
  const all = sum('');
  const rows = Number(db.prepare('SELECT coalesce(sum(n), 0) FROM probe_rollup_block WHERE unit = ?').pluck().get(unit));
  return { rows, bytes: all === 0 ? 0 : ((bytes.get('probe_rollup_block') ?? 0) * sum(`WHERE unit = ${unit}`)) / all };
}

function measure(db: Db, samples: number, rawTables: string[], ms: number): Measured {
  const bytes = tableBytes(db);
  const count = (t: string) => Number(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
  return {
    samples,
    rawBytes: rawTables.reduce((sum, t) => sum + (bytes.get(t) ?? 0), 0),
    packed: rawTables.includes('probe_chunk')
      ? {
          samples: Number(db.prepare('SELECT coalesce(sum(n), 0) FROM probe_chunk').pluck().get()),
          bytes: bytes.get('probe_chunk') ?? 0,
          blobBytes: Number(db.prepare('SELECT coalesce(sum(length(data)), 0) FROM probe_chunk').pluck().get()),
        }
      : { samples: 0, bytes: 0, blobBytes: 0 },
    headPerSeries: (bytes.get('probe_raw') ?? 0) / Math.max(1, count('probe_series')),
    minuteRows: count('probe_minute'),
    minuteBytes: bytes.get('probe_minute') ?? 0,
    hourRows: count('probe_hour'),
    hourBytes: bytes.get('probe_hour') ?? 0,
    packedMinute: packedOf(db, bytes, MINUTE_MS),
    packedHour: packedOf(db, bytes, HOUR_MS),
    ms,
  };
}

function runRowFormat(): Measured {
  const db = freshDb(
    'rows-v16.db',
    MIGRATIONS.filter((m) => m.version <= 16),
  );
  const rollups = createRollupWriter(db);
  const series = db.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?) RETURNING id').pluck();
  const insert = db.prepare('INSERT INTO probe_raw (series, at, rtt_us, code) VALUES (?, ?, ?, ?)');
  const ids = new Map<string, number>();
  let samples = 0;
  const write = db.transaction((batch: Sample[]) => {
    let newest = 0;
    for (const s of batch) {
      const key = `${s.kind}:${s.serverId}`;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = series.get(s.serverId, KIND_CODE[s.kind]) as number));
      insert.run(id, s.at, s.rttMs === null ? null : Math.round(s.rttMs * 1000), s.code ?? null);
      newest = Math.max(newest, s.at);
    }
    rollups.closeUpTo(newest);
  });
  const started = performance.now();
  for (const batch of realisticBatches(SHAPE, FROM, TO)) {
    write(batch);
    samples += batch.length;
  }
  const ms = performance.now() - started;
  const result = measure(db, samples, ['probe_raw'], ms);
  db.close();
  return result;
}

function runChunks(): Measured {
  const db = freshDb('chunks.db');
  const repo = createSamplesRepo(db, { now: () => TO });
  let samples = 0;
  const started = performance.now();
  for (const batch of realisticBatches(SHAPE, FROM, TO)) samples += repo.insertBatch(batch);
  const ms = performance.now() - started;
  const result = measure(db, samples, ['probe_raw', 'probe_chunk'], ms);
  db.close();
  return result;
}

/**
 * One full block of rollup rows per series (a day of minutes, thirty days of hours) rolled up from
 * the generator, written as rows and packed at open as a converted file's are.
 */
function runPackedRollups(unit: number, servers: number): { rows: number; bytes: number; blobBytes: number } {
  const span = BLOCK_SPAN[unit] ?? 0;
  const from = Math.floor(FROM / span) * span;
  const to = from + span;
  const rollups = new Map<string, Map<number, Rollup>>();
  for (const batch of realisticBatches({ ...SHAPE, servers }, from, to))
    for (const s of batch) {
      const key = `${s.serverId}\u0000${s.kind}`;
      const bucket = Math.floor(s.at / unit) * unit;
      let series = rollups.get(key);
      if (!series) rollups.set(key, (series = new Map()));
      let r = series.get(bucket);
      if (!r) series.set(bucket, (r = emptyRollup()));
      addSample(r, s.rttMs, s.code);
    }
  const db = freshDb(`rollups-${unit}.db`);
  const addSeries = db.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?) RETURNING id').pluck();
  const insert = db.prepare(
    `INSERT INTO ${unit === MINUTE_MS ? 'probe_minute' : 'probe_hour'} (bucket, series, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const [key, series] of rollups) {
      const [server, kind] = key.split('\u0000') as [string, Sample['kind']];
      const id = addSeries.get(server, KIND_CODE[kind]) as number;
      for (const [bucket, r] of series)
        insert.run(bucket, id, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, Buffer.from(encodeHistogram(r.hist)));
    }
    db.prepare('UPDATE probe_rollup_mark SET closed_before = ? WHERE id = 1').run(to);
  })();
  logStreams(unit, from, rollups);
  // Packed as the hourly packing packs them (format 2, on the shown grid); the conversion at open
  // (createSamplesRepo's packBacklog) would keep a converted file's whole µs (format 1).
  const blocks = createRollupBlocks(db);
  db.transaction(() => {
    while (blocks.packSome(to, Number.POSITIVE_INFINITY) > 0);
  })();
  const bytes = tableBytes(db);
  const packed = packedOf(db, bytes, unit);
  const blobBytes = Number(db.prepare('SELECT coalesce(sum(length(data)), 0) FROM probe_rollup_block').pluck().get());
  db.close();
  return { ...packed, blobBytes };
}

/**
 * What each stream of a block costs a row, in bits, in the format written now and in format 1
 * (whole µs, before the rounding to the shown precision): where a row's bytes go.
 */
function logStreams(unit: number, from: number, rollups: Map<string, Map<number, Rollup>>): void {
  const total: Record<1 | 2, Record<string, number>> = { 1: {}, 2: {} };
  let rows = 0;
  for (const series of rollups.values()) {
    const blockRows = [...series]
      .sort((a, b) => a[0] - b[0])
      .map(([bucket, r]) =>
        blockRowOf([bucket, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, encodeHistogram(r.hist)]),
      );
    rows += blockRows.length;
    for (const format of [1, 2] as const) encodeRollupBlock(from, unit, blockRows, { format, streams: total[format] });
  }
  for (const format of [1, 2] as const) {
    const parts = Object.entries(total[format]).map(([name, bits]) => `${name} ${fmt(bits / rows, 1)}`);
    const sum = Object.values(total[format]).reduce((a, b) => a + b, 0);
    log(
      `  ${unit === MINUTE_MS ? 'minute' : 'hour'} block streams, format ${format}, bits a row: ${parts.join(', ')} = ${fmt(sum / rows / 8)} B`,
    );
  }
}

async function runPrometheus(): Promise<{ bytes: number; chunkBytes: number; samples: number; ms: number } | string> {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'promtool is not installed';
  }
  const input = path.join(dir, 'samples.om');
  const blocks = path.join(dir, 'prometheus');
  rmSync(blocks, { recursive: true, force: true });
  // OpenMetrics wants each family's samples together: round trips first, then the codes.
  const out = createWriteStream(input);
  const put = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  let samples = 0;
  await put('# TYPE switchyard_probe_rtt_seconds gauge\n');
  for (const batch of realisticBatches(SHAPE, FROM, TO))
    for (const s of batch) {
      samples += 1;
      await put(
        `switchyard_probe_rtt_seconds{server="${s.serverId}",kind="${s.kind}"} ${s.rttMs === null ? 'NaN' : s.rttMs / 1000} ${s.at / 1000}\n`,
      );
    }
  await put('# TYPE switchyard_probe_sip_code gauge\n');
  for (const batch of realisticBatches(SHAPE, FROM, TO))
    for (const s of batch)
      if (s.code !== undefined) await put(`switchyard_probe_sip_code{server="${s.serverId}",kind="${s.kind}"} ${s.code} ${s.at / 1000}\n`);
  await put('# EOF\n');
  out.end();
  await once(out, 'finish');
  const started = performance.now();
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, blocks], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - started;
  const sizeOf = (p: string): number =>
    statSync(p).isDirectory() ? readdirSync(p).reduce((sum, f) => sum + sizeOf(path.join(p, f)), 0) : statSync(p).size;
  const bytes = existsSync(blocks) ? sizeOf(blocks) : 0;
  const chunkBytes = existsSync(blocks)
    ? readdirSync(blocks)
        .map((b) => path.join(blocks, b, 'chunks'))
        .filter((p) => existsSync(p))
        .reduce((sum, p) => sum + sizeOf(p), 0)
    : 0;
  rmSync(input, { force: true });
  return { bytes, chunkBytes, samples, ms };
}

log(`storage-density: ${SHAPE.servers} servers × SIP + ICMP every 5 s for ${HOURS} h`);
const rows = runRowFormat();
log(`  row format (schema 16): ${fmt(rows.rawBytes / rows.samples)} B/sample, ${fmt(rows.ms / 1_000, 1)} s`);
const chunks = runChunks();
log(
  `  chunks: ${fmt(chunks.packed.bytes / chunks.packed.samples)} B/packed sample (blobs alone ${fmt(chunks.packed.blobBytes / chunks.packed.samples)}), ` +
    `unpacked head ${fmt(chunks.headPerSeries, 0)} B/series; all raw ${fmt(chunks.rawBytes / chunks.samples)} B/sample, ${fmt(chunks.ms / 1_000, 1)} s`,
);
if (chunks.samples !== rows.samples) throw new Error(`chunks stored ${chunks.samples} samples, rows ${rows.samples}`);
const packedMinutes = runPackedRollups(MINUTE_MS, ROLLUP_SERVERS.minute);
const packedHours = runPackedRollups(HOUR_MS, ROLLUP_SERVERS.hour);
log(
  `  packed rollups, full blocks: minute ${fmt(packedMinutes.bytes / packedMinutes.rows)} B/row (${fmt(packedMinutes.rows, 0)} rows, ` +
    `blobs alone ${fmt(packedMinutes.blobBytes / packedMinutes.rows)}), hour ${fmt(packedHours.bytes / packedHours.rows)} B/row ` +
    `(${fmt(packedHours.rows, 0)} rows, blobs alone ${fmt(packedHours.blobBytes / packedHours.rows)}); ` +
    `in the ${HOURS} h run: minute ${fmt(chunks.packedMinute.bytes / chunks.packedMinute.rows)} B/row (partly filled blocks)`,
);
const prom = await runPrometheus();
if (typeof prom === 'string') log(`  Prometheus: not measured (${prom})`);
else
  log(
    `  Prometheus TSDB: ${fmt(prom.bytes / prom.samples)} B/sample in blocks, ${fmt(prom.chunkBytes / prom.samples)} in chunk files ` +
      `(${fmt(prom.bytes / MB, 1)} MB), promtool ${fmt(prom.ms / 1_000, 1)} s`,
  );
rmSync(dir, { recursive: true, force: true });

// A store holding 48 h keeps all but its last quarter hour packed: packed bytes per sample for
// those, plus the head per series. The row format is row-per-sample throughout.
const perSample = (m: Measured) => (m.packed.samples > 0 ? m.packed.bytes / m.packed.samples : m.rawBytes / m.samples);
const rawPerSeries = (m: Measured) => KEPT.raw * perSample(m) + (m.packed.samples > 0 ? m.headPerSeries : 0);
const perMinute = (m: Measured) => m.minuteBytes / m.minuteRows;
const perHour = (m: Measured) => m.hourBytes / m.hourRows;
// Packed: closed rows at the packed bytes, plus the open stretch still held as rows and the half
// block that retention keeps on average. A snapshot holds the same; a rollups-only snapshot packs
// its open stretch too.
const packedPerMinute = packedMinutes.bytes / packedMinutes.rows;
const packedPerHour = packedHours.bytes / packedHours.rows;
const packed = (m: Measured) => m.packedMinute.rows > 0;
const minuteSeries = (m: Measured, open = true) =>
  packed(m)
    ? (KEPT.minute + SLACK_ROWS.minute) * packedPerMinute + (open ? OPEN_ROWS.minute * perMinute(m) : 0)
    : KEPT.minute * perMinute(m);
const hourSeries = (m: Measured, hourRows: number, open = true) =>
  packed(m)
    ? (hourRows + (hourRows === KEPT.hour ? SLACK_ROWS.hour : 0)) * packedPerHour + (open ? OPEN_ROWS.hour * perHour(m) : 0)
    : hourRows * perHour(m);
const fleet = (m: Measured, hourRows: number, withRaw = true) =>
  FLEET_SERIES * ((withRaw ? rawPerSeries(m) : 0) + minuteSeries(m, withRaw) + hourSeries(m, hourRows, withRaw));
for (const [name, m] of [
  ['rows (schema 16)', rows],
  ['chunks', chunks],
] as const) {
  log(
    `  ${name}: minute row ${fmt(packed(m) ? packedPerMinute : perMinute(m), 1)} B, hour row ${fmt(packed(m) ? packedPerHour : perHour(m), 1)} B; ` +
      `1,000 servers steady ${fmt(fleet(m, KEPT.hour) / MB, 0)} MB (raw ${fmt((FLEET_SERIES * rawPerSeries(m)) / MB, 0)}, ` +
      `minutes ${fmt((FLEET_SERIES * minuteSeries(m)) / MB, 0)}, hours ${fmt((FLEET_SERIES * hourSeries(m, KEPT.hour)) / MB, 0)}), ` +
      `30-day snapshot ${fmt(fleet(m, KEPT.hour30d) / MB, 0)} MB, rollups only ${fmt(fleet(m, KEPT.hour30d, false) / MB, 0)} MB`,
  );
}
const promPerSample = typeof prom === 'string' ? null : prom.chunkBytes / prom.samples;
emit([
  {
    benchmark: `Storage density, raw samples (${SHAPE.servers} servers × SIP + ICMP, 5 s, ${HOURS} h)`,
    measure: 'bytes on disk per packed sample (dbstat, index included; Prometheus: chunk files)',
    ours: `${fmt(perSample(chunks))} (schema 16 rows: ${fmt(perSample(rows))})`,
    peer:
      typeof prom === 'string'
        ? `— (${prom})`
        : `${fmt(prom.chunkBytes / prom.samples)} Prometheus TSDB chunks (${fmt(prom.bytes / prom.samples)} with index)`,
    ratio: promPerSample === null ? '—' : `${fmt(perSample(chunks) / promPerSample)} ×`,
    goal: '≤ 2 (beat 1.3)',
    met: perSample(chunks) <= 2,
  },
  {
    benchmark: 'Storage density, rollup rows packed in blocks',
    measure: 'bytes on disk per minute / hour row (dbstat, index included)',
    ours: `${fmt(packedPerMinute)} / ${fmt(packedPerHour)}`,
    peer: `${fmt(perMinute(rows), 1)} / ${fmt(perHour(rows), 1)} (a row each)`,
    ratio: `${fmt(packedPerMinute / perMinute(rows))} × / ${fmt(packedPerHour / perHour(rows))} ×`,
    goal: 'reference',
    met: null,
  },
  {
    benchmark: 'Store, 1,000 servers, default retention (extrapolated)',
    measure: 'MB steady state (raw 48 h, minutes 14 d, hours 366 d)',
    ours: `${fmt(fleet(chunks, KEPT.hour) / MB, 0)} (schema 16: ${fmt(fleet(rows, KEPT.hour) / MB, 0)})`,
    peer: '—',
    ratio: '—',
    goal: '≤ 500 MB',
    met: fleet(chunks, KEPT.hour) <= 500 * MB,
  },
  {
    benchmark: 'Snapshot, 1,000 servers, 30 days (extrapolated)',
    measure: 'MB, full / rollups only',
    ours: `${fmt(fleet(chunks, KEPT.hour30d) / MB, 0)} / ${fmt(fleet(chunks, KEPT.hour30d, false) / MB, 0)}`,
    peer: '—',
    ratio: '—',
    goal: '≤ 200 MB',
    met: fleet(chunks, KEPT.hour30d) <= 200 * MB,
  },
]);
