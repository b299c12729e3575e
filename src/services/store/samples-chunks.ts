// Raw samples past their first quarter hour: packed per series into one chunk per 15-minute
// window (sample-chunk-codec.ts), one row each in probe_chunk.
//
// New samples land in probe_raw as before, one row each, in the flush's transaction: that table
// is the durable head (a kill -9 loses no committed sample) and what rollups are computed from.
// Once the rollup watermark has passed a window, the window is "sealed": a series' raw rows
// before it are packed into chunks and deleted from probe_raw, and the series' sealed_before
// moves there. Every flush seals a few series, bounded by a row budget proportional to the flush,
// so the work is spread over the quarter hour instead of landing on one flush, and keeps pace
// with ingest. A database converted from the row-per-sample format is sealed series by series at
// open, each series in its own transaction: bounded memory, and a kill leaves every series either
// converted or not, so the next open carries on (sealBacklog).
//
// Round trips are packed to the shown precision (chunk formats 2 and 3, rtt-precision.ts), except
// by the conversion at open (sealBacklog), which writes whole µs (format 1): upgrading a database
// rounds none of the samples it already held. A chunk re-packed later (a late sample, a prune
// cutting its window) is written in today's format like any other; older chunks are read as they are.
//
// Reads never rely on where a sample is: a range is the chunks' samples and the raw rows merged
// by time, so a raw row inserted below the mark by hand or by a late sample is still seen, and the
// next seal of its series sweeps it into its chunk.
import { CHUNK_FORMAT, decodeChunk, encodeChunk, type ChunkColumns, type ChunkFormat, type ChunkSample } from './sample-chunk-codec';
import type { Db } from './database';
import { createRawHead, type RawRow } from './raw-head';

export type { RawRow };

/** Length of a chunk's window (ms): 180 samples at a 5 s interval, about 250 bytes. */
export const CHUNK_MS = 15 * 60_000;

/** A sample for a packed window: its series, then the row. */
export type LateSample = [series: number, at: number, rttUs: number | null, code: number | null];

const windowOf = (at: number) => Math.floor(at / CHUNK_MS) * CHUNK_MS;

function rowsOf(cols: ChunkColumns, from = -Infinity, to = Infinity): RawRow[] {
  const out: RawRow[] = [];
  for (let i = 0; i < cols.at.length; i += 1) {
    const at = cols.at[i] as number;
    if (at >= from && at < to) out.push([at, cols.rttUs[i] ?? null, cols.code[i] ?? null]);
  }
  return out;
}

/** Two time-ordered lists into one; on an equal time the first list's row is kept. */
function mergeRows(a: RawRow[], b: RawRow[]): RawRow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: RawRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x[0] <= y[0])) {
      out.push(x as RawRow);
      i += 1;
      if (y !== undefined && x !== undefined && x[0] === y[0]) j += 1;
    } else {
      out.push(y);
      j += 1;
    }
  }
  return out;
}

const toSamples = (rows: RawRow[]): ChunkSample[] => rows.map(([at, rttUs, code]) => ({ at, rttUs, code }));

export function createChunkStore(db: Db) {
  const chunksIn = db.prepare('SELECT start, data FROM probe_chunk WHERE series = ? AND start > ? AND start < ? ORDER BY start').raw();
  const chunkAt = db.prepare('SELECT data FROM probe_chunk WHERE series = ? AND start = ?').pluck();
  const newestChunks = db.prepare('SELECT start, data FROM probe_chunk WHERE series = ? ORDER BY start DESC').raw();
  const putChunk = db.prepare(
    'INSERT INTO probe_chunk (series, start, n, data) VALUES (?, ?, ?, ?) ON CONFLICT (series, start) DO UPDATE SET n = excluded.n, data = excluded.data',
  );
  const dropChunk = db.prepare('DELETE FROM probe_chunk WHERE series = ? AND start = ?');
  const dropOldChunks = db.prepare('DELETE FROM probe_chunk WHERE series = ? AND start + ? <= ? RETURNING n').pluck();
  const forgetChunks = db.prepare('DELETE FROM probe_chunk WHERE series = ?');
  const raw = createRawHead(db);
  const sealedOf = db.prepare('SELECT sealed_before FROM probe_series WHERE id = ?').pluck();
  const unsealed = db.prepare('SELECT id FROM probe_series WHERE sealed_before < ? ORDER BY sealed_before, id LIMIT ?').pluck();
  const markSealed = db.prepare('UPDATE probe_series SET sealed_before = ? WHERE id = ?');

  const decode = (start: number, data: Uint8Array): ChunkColumns => decodeChunk(start, data);

  /** Writes one window's samples, replacing its chunk; an empty window loses its row. */
  function writeWindow(series: number, start: number, rows: RawRow[], format: ChunkFormat = CHUNK_FORMAT): void {
    if (rows.length === 0) dropChunk.run(series, start);
    else putChunk.run(series, start, rows.length, Buffer.from(encodeChunk(start, toSamples(rows), format)));
  }

  /** Packs a series' raw rows before `before` into their windows' chunks, merged with what those hold. Returns rows moved. */
  function sealSeries(series: number, before: number, format: ChunkFormat = CHUNK_FORMAT): number {
    const rows = raw.take(series, -Infinity, before);
    let i = 0;
    while (i < rows.length) {
      const start = windowOf((rows[i] as RawRow)[0]);
      let j = i;
      while (j < rows.length && windowOf((rows[j] as RawRow)[0]) === start) j += 1;
      const existing = chunkAt.get(series, start) as Uint8Array | undefined;
      const fresh = rows.slice(i, j);
      writeWindow(series, start, existing ? mergeRows(rowsOf(decode(start, existing)), fresh) : fresh, format);
      i = j;
    }
    markSealed.run(before, series);
    return rows.length;
  }

  return {
    /** The window before which a series' samples may be sealed, given the rollup watermark. */
    sealTarget: (closedBefore: number): number => windowOf(closedBefore),

    /**
     * Seals series whose mark is behind `target`, oldest mark first, until `budget` rows have
     * moved. Call inside the flush's transaction. Returns rows moved.
     */
    sealSome(target: number, budget: number): number {
      let moved = 0;
      for (const series of unsealed.all(target, 64) as number[]) {
        moved += sealSeries(series, target);
        if (moved >= budget) break;
      }
      return moved;
    },

    /**
     * Seals every series up to `target`, each in its own transaction: what converts a database of
     * raw rows at open. Bounded memory (one series' rows at a time) and resumable if killed.
     * Written in whole µs (format 1), so a conversion rounds nothing the database held.
     */
    sealBacklog(target: number, onSeries?: (series: number) => void): number {
      let moved = 0;
      for (;;) {
        const series = unsealed.all(target, 1) as number[];
        const id = series[0];
        if (id === undefined) return moved;
        moved += db.transaction(() => {
          const rows = sealSeries(id, target, 1);
          // Inside the transaction, before it commits: the conversion test kills the process here.
          onSeries?.(id);
          return rows;
        })();
      }
    },

    /** Whether a series' sample at `at` belongs in a packed chunk rather than in probe_raw. */
    isSealed: (series: number, at: number): boolean => at < Number(sealedOf.get(series) ?? 0),

    /**
     * Stores samples that arrived after their window was sealed straight into the chunks, each
     * chunk unpacked and packed once however many land in it (a backfill of old data is one
     * re-pack per window, not one per sample). A time a chunk already holds (a retried flush) is
     * skipped. Returns the samples added.
     */
    insertSealed(samples: readonly LateSample[]): LateSample[] {
      const byWindow = new Map<string, LateSample[]>();
      for (const sample of samples) {
        const key = `${sample[0]}:${windowOf(sample[1])}`;
        const list = byWindow.get(key);
        if (list) list.push(sample);
        else byWindow.set(key, [sample]);
      }
      const added: LateSample[] = [];
      for (const group of byWindow.values()) {
        const series = (group[0] as LateSample)[0];
        const start = windowOf((group[0] as LateSample)[1]);
        const existing = chunkAt.get(series, start) as Uint8Array | undefined;
        const rows = existing ? rowsOf(decode(start, existing)) : [];
        const held = new Set(rows.map((r) => r[0]));
        const fresh: RawRow[] = [];
        for (const sample of group) {
          if (held.has(sample[1])) continue;
          held.add(sample[1]);
          fresh.push([sample[1], sample[2], sample[3]]);
          added.push(sample);
        }
        if (fresh.length > 0)
          writeWindow(
            series,
            start,
            mergeRows(
              rows,
              fresh.sort((a, b) => a[0] - b[0]),
            ),
          );
      }
      return added;
    },

    /** A series' samples in [from, to), in time order, wherever they are stored. */
    range(series: number, from: number, to: number): RawRow[] {
      let packed: RawRow[] = [];
      for (const [start, data] of chunksIn.all(series, from - CHUNK_MS, to) as [number, Uint8Array][]) {
        const rows = rowsOf(decode(start, data), from, to);
        packed = packed.length === 0 ? rows : packed.concat(rows);
      }
      return mergeRows(packed, raw.range(series, from, to));
    },

    /** The newest `limit` samples of a series, newest first. */
    newest(series: number, limit: number): RawRow[] {
      const out = raw.newest(series, limit);
      if (out.length >= limit) return out;
      const oldestRaw = out.at(-1)?.[0] ?? Infinity;
      for (const [start, data] of newestChunks.iterate(series) as Iterable<[number, Uint8Array]>) {
        const rows = rowsOf(decode(start, data), -Infinity, oldestRaw);
        for (let i = rows.length - 1; i >= 0 && out.length < limit; i -= 1) out.push(rows[i] as RawRow);
        if (out.length >= limit) break;
      }
      return out;
    },

    /** Deletes a series' packed samples before `cutoff` (a window cut by it is re-packed). Returns samples deleted. */
    prune(series: number, cutoff: number): number {
      let deleted = (dropOldChunks.all(series, CHUNK_MS, cutoff) as number[]).reduce((a, b) => a + b, 0);
      const start = windowOf(cutoff);
      if (start < cutoff) {
        const existing = chunkAt.get(series, start) as Uint8Array | undefined;
        if (existing) {
          const rows = rowsOf(decode(start, existing));
          const kept = rows.filter((r) => r[0] >= cutoff);
          if (kept.length < rows.length) {
            deleted += rows.length - kept.length;
            // The chunk's key stays its window's start, which the first kept sample is at or after.
            writeWindow(series, start, kept);
          }
        }
      }
      return deleted;
    },

    forget(series: number): void {
      forgetChunks.run(series);
    },
  };
}

export type ChunkStore = ReturnType<typeof createChunkStore>;
