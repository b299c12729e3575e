// Why the packed history uses its own encoding rather than general-purpose compression: the same
// 15-minute chunks (100 servers × SIP + ICMP at 5 s for 6 h, the storage-density bench's series)
// encoded by the chunk codec, and as the same residuals (time from the 5 s grid, round-trip change,
// code) written as zig-zag byte varints then compressed by node:zlib's deflate (level 9) and brotli
// (quality 11), the best general-purpose coders that ship with Node and Electron. Blob bytes only.
// Round trips are given to all of them as the codec keeps them: on the shown grid (rtt-precision.ts)
// by its index; the codec's formats 1 (whole µs, before that rounding) and 2 (before one-sided
// times and short escapes) are logged beside it.
//
// The same for the rollup blocks (rollup-block-codec.ts): a day of minute rollups for 40 servers
// × SIP + ICMP, one block per series, against the very same columns (counts, losses, flagged, min,
// max − min and the mean on the grid, the standard deviation code, histogram pairs), each as zig-zag byte varints of
// its change from the row before, compressed by deflate 9 and brotli 11. Hour blocks are left out
// here (a month of samples per series takes minutes to generate); storage-density measures them.
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import { bucketOf } from '../../src/domain/monitoring/histogram';
import { encodeChunk, type ChunkSample } from '../../src/services/store/sample-chunk-codec';
import { roundRttUs, rttIndex } from '../../src/domain/monitoring/rtt-precision';
import { encodeRollupBlock, sdCode, type BlockRow } from '../../src/services/store/rollup-block-codec';
import { realisticBatches } from './lib/realistic-samples';
import { emit, fmt, log } from './lib/report';

const CHUNK_MS = 15 * 60_000;
const INTERVAL_MS = 5_000;

function varints(values: readonly number[]): Buffer {
  const out: number[] = [];
  for (const value of values) {
    let v = value >= 0 ? value * 2 : -value * 2 - 1;
    while (v >= 128) {
      out.push((v & 127) | 128);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  return Buffer.from(out);
}

const chunks = new Map<string, ChunkSample[]>();
const from = Date.UTC(2026, 10, 1);
for (const batch of realisticBatches({ servers: 100, kinds: ['sip-udp', 'icmp'], intervalMs: INTERVAL_MS }, from, from + 6 * 3_600_000)) {
  for (const s of batch) {
    const key = `${s.serverId}/${s.kind}/${Math.floor(s.at / CHUNK_MS)}`;
    const list = chunks.get(key) ?? chunks.set(key, []).get(key)!;
    const rttUs = s.rttMs === null ? null : Math.round(s.rttMs * 1000);
    list.push({ at: s.at, rttUs, code: rttUs === null ? null : (s.code ?? (s.kind === 'icmp' ? null : 200)) });
  }
}

/** A round trip as format 2 codes it: its index on the shown grid. */
const onGrid = (us: number): number => rttIndex(roundRttUs(us));

let samples = 0;
let codec = 0;
let codecExact = 0;
let codecFormat2 = 0;
let deflate = 0;
let brotli = 0;
for (const list of chunks.values()) {
  const start = Math.floor(list[0]!.at / CHUNK_MS) * CHUNK_MS;
  samples += list.length;
  codec += encodeChunk(start, list).length;
  codecExact += encodeChunk(start, list, 1).length;
  codecFormat2 += encodeChunk(start, list, 2).length;
  const residuals: number[] = [];
  let prevAt = start;
  let prevRtt = 0;
  for (const s of list) {
    const rtt = s.rttUs === null ? -1 : onGrid(s.rttUs);
    residuals.push(s.at - prevAt - INTERVAL_MS, rtt - prevRtt, s.code === null ? 0 : s.code === 200 ? 1 : s.code);
    prevAt = s.at;
    prevRtt = rtt;
  }
  const raw = varints(residuals);
  deflate += deflateRawSync(raw, { level: 9 }).length;
  brotli += brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
const per = (bytes: number) => bytes / samples;
log(
  `${samples} samples in ${chunks.size} chunks: ${fmt(per(codec))} B a sample (format 2: ${fmt(per(codecFormat2))}; format 1, whole µs: ${fmt(per(codecExact))})`,
);
const row = (name: string, bytes: number) => ({
  benchmark: 'Storage codecs, 15-minute chunks (100 servers, SIP + ICMP, 6 h at 5 s)',
  measure: 'blob bytes per sample',
  ours: fmt(per(codec)),
  peer: `${fmt(per(bytes))} (${name})`,
  ratio: `${fmt(codec / bytes)} ×`,
  goal: 'smaller than general-purpose compression',
  met: codec < bytes,
});

// Rollup blocks: a day of minutes per series.
const DAY = 24 * 3_600_000;
const MINUTE = 60_000;
const dayFrom = Math.floor(from / DAY) * DAY;
const minutes = new Map<string, Map<number, { rtts: (number | null)[]; flagged: number }>>();
for (const batch of realisticBatches({ servers: 40, kinds: ['sip-udp', 'icmp'], intervalMs: INTERVAL_MS }, dayFrom, dayFrom + DAY)) {
  for (const s of batch) {
    const key = `${s.serverId}/${s.kind}`;
    const series = minutes.get(key) ?? minutes.set(key, new Map()).get(key)!;
    const bucket = Math.floor(s.at / MINUTE) * MINUTE;
    const m = series.get(bucket) ?? series.set(bucket, { rtts: [], flagged: 0 }).get(bucket)!;
    const rttUs = s.rttMs === null ? null : Math.round(s.rttMs * 1000);
    m.rtts.push(rttUs);
    if (rttUs !== null && (s.code ?? 0) >= 500) m.flagged += 1;
  }
}
const blockRow = (bucket: number, m: { rtts: (number | null)[]; flagged: number }): BlockRow => {
  const answered = m.rtts.filter((r): r is number => r !== null);
  const hist = new Map<number, number>();
  for (const r of answered) hist.set(bucketOf(r / 1000), (hist.get(bucketOf(r / 1000)) ?? 0) + 1);
  return {
    bucket,
    count: m.rtts.length,
    lost: m.rtts.length - answered.length,
    flagged: m.flagged,
    minUs: answered.length === 0 ? null : Math.min(...answered),
    maxUs: answered.length === 0 ? null : Math.max(...answered),
    sumUs: answered.reduce((a, b) => a + b, 0),
    sumSqUs2: answered.reduce((a, b) => a + b * b, 0),
    hist: [...hist].sort((a, b) => a[0] - b[0]),
  };
};
let rollupRows = 0;
let blockBytes = 0;
let blockBytesExact = 0;
const streams: Record<1 | 2, Record<string, number>> = { 1: {}, 2: {} };
let rollupDeflate = 0;
let rollupBrotli = 0;
for (const series of minutes.values()) {
  const rows = [...series].sort((a, b) => a[0] - b[0]).map(([bucket, m]) => blockRow(bucket, m));
  rollupRows += rows.length;
  blockBytes += encodeRollupBlock(dayFrom, MINUTE, rows, { streams: streams[2] }).length;
  blockBytesExact += encodeRollupBlock(dayFrom, MINUTE, rows, { format: 1, streams: streams[1] }).length;
  // Column by column, each value as its change from the row before: what a generic coder does best with.
  const columns: number[][] = [[], [], [], [], [], [], [], []];
  for (const r of rows) {
    const a = r.count - r.lost;
    const sd = a < 2 ? 0 : sdCode(Math.sqrt(Math.max(0, r.sumSqUs2 / a - (r.sumUs / a) ** 2)));
    const min = r.minUs === null ? 0 : onGrid(r.minUs);
    const max = r.maxUs === null ? 0 : onGrid(r.maxUs);
    const mean = a === 0 ? 0 : onGrid(Math.round(r.sumUs / a));
    const values = [r.count, r.lost, r.flagged, min, max - min, mean, sd, r.hist.length];
    values.forEach((v, i) => columns[i]!.push(v));
  }
  const deltas = columns.flatMap((c) => c.map((v, i) => v - (i === 0 ? 0 : c[i - 1]!)));
  const hist = rows.flatMap((r) => r.hist.flatMap(([b, c]) => [b, c]));
  const raw = varints([...deltas, ...hist]);
  rollupDeflate += deflateRawSync(raw, { level: 9 }).length;
  rollupBrotli += brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
log(
  `${rollupRows} minute rollups in ${minutes.size} day blocks: ${fmt(blockBytes / rollupRows)} B a row (format 1, whole µs: ${fmt(blockBytesExact / rollupRows)})`,
);
for (const format of [1, 2] as const)
  log(
    `  format ${format}, bits a row: ${Object.entries(streams[format])
      .map(([name, bits]) => `${name} ${fmt(bits / rollupRows, 1)}`)
      .join(', ')}`,
  );
const rollupRow = (name: string, bytes: number) => ({
  benchmark: 'Storage codecs, day blocks of minute rollups (40 servers, SIP + ICMP, 5 s)',
  measure: 'blob bytes per minute row',
  ours: fmt(blockBytes / rollupRows),
  peer: `${fmt(bytes / rollupRows)} (${name})`,
  ratio: `${fmt(blockBytes / bytes)} ×`,
  goal: 'smaller than general-purpose compression',
  met: blockBytes < bytes,
});
emit([
  row('deflate level 9 over varints', deflate),
  row('brotli quality 11 over varints', brotli),
  rollupRow('deflate level 9 over column varints', rollupDeflate),
  rollupRow('brotli quality 11 over column varints', rollupBrotli),
]);
