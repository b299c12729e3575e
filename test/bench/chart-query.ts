// The 30-day chart of one server from a database holding 30 days of 5 s probes for 100 servers
// (SIP and ICMP each): the repository's series() call as the chart makes it, 50 times, median and
// p95, with the points it returns. The goal is absolute (under 20 ms, at most 2,000 points): raw
// rows for 30 days are not kept (retention holds 48 h), so no raw query of the same range exists
// to compare with. The 24-hour (minute rollups) and 1-hour (raw rows) charts are timed too.
// Decoded rollup blocks are kept for the next read (rollup-block-cache.ts), so repeating one
// server's chart times what a live chart's refresh costs; the 30-day and 24-hour charts are also
// timed with a different server each query, every block decoded afresh: what a first open costs.
//
// The database is generated once into .tmp/bench/chart-30d-<schema and format hash>.db and reused: hour rollups for 30
// days, minute rollups for 14 days and raw rows for the last 48 hours, as retention would leave
// them — about 7 million raw samples (packed into 15-minute chunks, as the store keeps them), 4 million
// minute and 144,000 hour rows. Rollups are written
// directly (rolling 52 million samples up through ingest would take far longer than the query).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { encodeHistogram } from '../../src/domain/monitoring/histogram';
import { addSample, emptyRollup, type Rollup } from '../../src/domain/monitoring/rollup';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { sql as monitoringSchema } from '../../src/services/store/migrations/002-monitoring';
import { sql as chunkSchema } from '../../src/services/store/migrations/017-sample-chunks';
import { sql as blockSchema } from '../../src/services/store/migrations/020-rollup-blocks';
import { minuteOf } from '../../src/services/store/raw-head';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { CHUNK_FORMAT, decodeChunk, encodeChunk } from '../../src/services/store/sample-chunk-codec';
import { encodeRollupBlock, ROLLUP_BLOCK_FORMAT } from '../../src/services/store/rollup-block-codec';
import { decodeRollupBlock } from '../../src/services/store/rollup-block-decode';
import { emit, fmt, log, median, percentile } from './lib/report';

const SERVERS = 100;
const KINDS = [1, 4]; // sip-udp, icmp
const STEP = 5_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 0, 31);
// Named for the schema and formats it was built with: a changed one builds a new file.
const built = createHash('sha256').update(monitoringSchema).update(chunkSchema).update(blockSchema);
const file = path.resolve(`.tmp/bench/chart-30d-${built.update(`${CHUNK_FORMAT}/${ROLLUP_BLOCK_FORMAT}`).digest('hex').slice(0, 10)}.db`);
const QUERIES = 50;

const rtt = (i: number) => 2 + ((i * 7919) % 3000) / 100;

/** A few dozen rollups of realistic spread, reused across rows (their blobs differ by seed). */
function prototypes(samples: number): { r: Rollup; hist: Buffer }[] {
  return Array.from({ length: 32 }, (_, seed) => {
    const r = emptyRollup();
    for (let i = 0; i < samples; i += 1) addSample(r, (i + seed) % 97 === 0 ? null : rtt(i * 31 + seed), 200);
    return { r, hist: Buffer.from(encodeHistogram(r.hist)) };
  });
}

function generate(): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  for (const s of ['', '-wal', '-shm']) rmSync(partial + s, { force: true });
  const db = openDatabase(partial);
  migrate(db, partial, Date.now);
  createSamplesRepo(db, { now: () => END }); // switches to incremental vacuum like the app
  const series = db.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?) RETURNING id').pluck();
  const ids: number[] = [];
  db.transaction(() => {
    for (let s = 0; s < SERVERS; s += 1)
      for (const kind of KINDS) ids.push(series.get(`bench-server-${String(s).padStart(3, '0')}`, kind) as number);
  })();
  const rollup = (table: string, unit: number, from: number, protos: { r: Rollup; hist: Buffer }[]) => {
    const insert = db.prepare(
      `INSERT INTO ${table} (bucket, series, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let n = 0;
    // In key order (series, bucket): every insert appends.
    for (const id of ids) {
      db.transaction(() => {
        for (let bucket = from; bucket < END; bucket += unit) {
          const { r, hist } = protos[(n += 1) % protos.length] as { r: Rollup; hist: Buffer };
          insert.run(bucket, id, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, hist);
        }
      })();
    }
  };
  log('chart-query: generating hour rollups (30 d), minute rollups (14 d), raw rows (48 h) …');
  rollup('probe_hour', HOUR, END - 30 * DAY, prototypes(HOUR / STEP));
  rollup('probe_minute', MINUTE, END - 14 * DAY, prototypes(MINUTE / STEP));
  const raw = db.prepare('INSERT INTO probe_raw (minute, series, at, rtt_us, code) VALUES (?, ?, ?, ?, ?)');
  for (const id of ids) {
    db.transaction(() => {
      for (let at = END - 2 * DAY, i = id; at < END; at += STEP, i += 1)
        raw.run(minuteOf(at), id, at, i % 97 === 0 ? null : Math.round(rtt(i) * 1000), 200);
    })();
  }
  db.prepare('UPDATE probe_rollup_mark SET closed_before = ? WHERE id = 1').run(END);
  // Packs the raw rows into 15-minute chunks and the rollups into blocks, as the app's open converts a
  // database of rows; that conversion keeps what it converts exact (format 1), so the chunks and
  // blocks are then written again as the store writes them since (format 2), which the charts decode.
  createSamplesRepo(db, { now: () => END });
  repackAsWritten(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, file);
}

function repackAsWritten(db: ReturnType<typeof openDatabase>): void {
  const chunks = db.prepare('SELECT rowid, start, data FROM probe_chunk').all() as { rowid: number; start: number; data: Buffer }[];
  const setChunk = db.prepare('UPDATE probe_chunk SET data = ? WHERE rowid = ?');
  db.transaction(() => {
    for (const c of chunks) {
      const cols = decodeChunk(c.start, c.data);
      const samples = cols.at.map((at, i) => ({ at, rttUs: cols.rttUs[i] ?? null, code: cols.code[i] ?? null }));
      setChunk.run(Buffer.from(encodeChunk(c.start, samples)), c.rowid);
    }
  })();
  const blocks = db.prepare('SELECT rowid, start, unit, data FROM probe_rollup_block').all() as {
    rowid: number;
    start: number;
    unit: number;
    data: Buffer;
  }[];
  const setBlock = db.prepare('UPDATE probe_rollup_block SET data = ? WHERE rowid = ?');
  db.transaction(() => {
    for (const b of blocks)
      setBlock.run(Buffer.from(encodeRollupBlock(b.start, b.unit, decodeRollupBlock(b.start, b.unit, b.data))), b.rowid);
  })();
  db.exec('VACUUM');
}

if (!existsSync(file)) generate();
const db = openDatabase(file);
const repo = createSamplesRepo(db, { now: () => END });
const server = 'bench-server-042';
// Every other server once, in an order that never repeats one within a run.
const others = Array.from({ length: SERVERS }, (_, s) => `bench-server-${String(s).padStart(3, '0')}`).filter((s) => s !== server);
const timings = (range: number, serverOf: (i: number) => string = () => server) => {
  const ms: number[] = [];
  let points = 0;
  let source = '';
  for (let i = 0; i < QUERIES + 3; i += 1) {
    const started = performance.now();
    const result = repo.series(serverOf(i), ['sip-udp', 'icmp'], END - range, END);
    const took = performance.now() - started;
    if (i >= 3) ms.push(took); // the first few warm the page cache
    points = Math.max(result.points['sip-udp']?.length ?? 0, result.points.icmp?.length ?? 0);
    source = result.source;
  }
  return { median: median(ms), p95: percentile(ms, 0.95), points, source };
};
const month = timings(30 * DAY);
const day = timings(DAY);
const hour = timings(HOUR);
// After the rows above, so they keep their meaning; blocks not read before, so none is cached
// (the 30-day chart reads hour blocks, the 24-hour one minute blocks).
const otherServer = (i: number) => others[i % others.length] as string;
const monthCold = timings(30 * DAY, otherServer);
const dayCold = timings(DAY, otherServer);
db.close();
for (const [name, t] of [
  ['30 d', month],
  ['24 h', day],
  ['1 h', hour],
  ['30 d, a different server each query', monthCold],
  ['24 h, a different server each query', dayCold],
] as const) {
  log(`  ${name}: ${t.source}, ${t.points} points per kind, median ${fmt(t.median, 2)} ms, p95 ${fmt(t.p95, 2)} ms`);
}
const row = (range: string, t: typeof month, goal: boolean) => ({
  benchmark: `Chart query, ${range}, 1 of 100 servers (SIP + ICMP)`,
  measure: `ms median / p95 of ${QUERIES} (${t.points} points per kind, ${t.source})`,
  ours: `${fmt(t.median, 2)} / ${fmt(t.p95, 2)}`,
  peer: '—',
  ratio: '—',
  goal: goal ? '< 20 ms, ≤ 2,000 points' : 'reference',
  met: goal ? t.p95 < 20 && t.points <= 2_000 : null,
});
emit([
  row('30 days', month, true),
  row('24 hours', day, false),
  row('1 hour', hour, false),
  row('30 days, a different server each query (blocks decoded afresh)', monthCold, true),
  row('24 hours, a different server each query (blocks decoded afresh)', dayCold, false),
]);
