// Decoded closed rollup blocks, kept for the next read of the same block.
//
// A chart reads whole blocks (rollup-blocks.ts): a 30-day chart decodes two 30-day hour blocks
// per kind, a 24-hour chart two day blocks of minutes. A live chart reads the same range again on
// its refresh period, and a team host serves the same server's chart to several desks, so the same
// few blocks would be decoded again and again; a block only changes when it is re-packed (its
// open stretch, once an hour), merged with a late sample, or dropped by retention.
//
// An entry is used only when the block's stored bytes are the very bytes it was decoded from. The
// read fetches the blob anyway (a few KB from SQLite's page cache) and comparing it costs a few
// microseconds, so no write can leave an entry stale, whoever makes it: this store, another
// connection to the same file, another process (the CLI), a file swapped underneath. Changed
// bytes decode afresh and replace the entry; a dropped block is no longer returned by the query at
// all. Writes made through the same blocks object also drop their entries, to free the memory
// early. Each blocks object holds its own cache, so two databases never share one.
//
// Entries are the decoded columns (typed arrays, 130 to 200 bytes a row), not row objects (about
// 950): the collector never copies or walks them, and a read makes row objects only for the rows
// it returns, which its caller owns. Bounded by bytes held, least recently used out first.
//
// A block is held from its second read on: a block read once (a first look at a server, a sweep
// over the fleet) would only push out blocks that are read again, and each block pushed out leaves
// a buffer that only a full collection frees; held from their first read, charts of a different
// server each time cost about half again as much as with no cache at all. A short list of the
// blocks read once (keys only) is what remembers them.
import { columnsBytes, decodeRollupColumns, type BlockColumns } from './rollup-block-decode';

/**
 * Bytes held at most. With the stored bytes kept to compare, a minute row takes about 140 bytes
 * and an hour row about 225, so 8 MiB is one server's 7-day chart of minutes (at most 23,040 rows
 * for two kinds) with its 30-day and 24-hour charts (2,880 and 5,760), or the 30-day charts of a
 * dozen servers.
 */
export const DEFAULT_BLOCK_CACHE_BYTES = 8 * 1024 * 1024;

/** Blocks read once, remembered (by key) so that their second read keeps them. */
const SEEN_ONCE = 4_096;

interface Entry {
  data: Uint8Array;
  columns: BlockColumns;
  bytes: number;
}

export class RollupBlockCache {
  readonly #maxBytes: number;
  /** In use order: a Map keeps insertion order, and a hit re-inserts its entry at the end. */
  readonly #entries = new Map<string, Entry>();
  /** Keys of blocks read once and not held, oldest first. */
  readonly #seen = new Set<string>();
  #bytes = 0;

  constructor(maxBytes: number = DEFAULT_BLOCK_CACHE_BYTES) {
    this.#maxBytes = Math.max(0, Math.floor(maxBytes));
  }

  /** Bytes of decoded columns held now. */
  get bytesHeld(): number {
    return this.#bytes;
  }

  /** Blocks held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The decoded columns of the block stored as `data`: the held ones when they were decoded from
   * the same bytes, else decoded now and held for next time. `data` is kept to compare with: it
   * must not change afterwards (better-sqlite3 hands out a fresh Buffer per read).
   */
  columns(series: number, unit: number, start: number, data: Uint8Array): BlockColumns {
    const key = keyOf(series, unit, start);
    const held = this.#entries.get(key);
    if (held !== undefined) {
      this.#remove(key, held);
      if (sameBytes(held.data, data)) {
        this.#add(key, held);
        return held.columns;
      }
    }
    const columns = decodeRollupColumns(start, unit, data);
    const bytes = columnsBytes(columns) + data.byteLength;
    // A block changed since it was held was read before: it is held again at once.
    if (held === undefined && !this.#seen.delete(key)) {
      this.#seen.add(key);
      if (this.#seen.size > SEEN_ONCE) this.#seen.delete(this.#seen.values().next().value as string);
    } else if (bytes <= this.#maxBytes) {
      this.#add(key, { data, columns, bytes });
      this.#evict();
    }
    return columns;
  }

  /** Forgets one block (it was rewritten or dropped). */
  drop(series: number, unit: number, start: number): void {
    const key = keyOf(series, unit, start);
    const held = this.#entries.get(key);
    if (held !== undefined) this.#remove(key, held);
  }

  /** Forgets every block of a series. */
  dropSeries(series: number): void {
    const prefix = `${series}/`;
    for (const [key, held] of this.#entries) if (key.startsWith(prefix)) this.#remove(key, held);
    for (const key of this.#seen) if (key.startsWith(prefix)) this.#seen.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#seen.clear();
    this.#bytes = 0;
  }

  #add(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
  }

  #remove(key: string, held: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= held.bytes;
  }

  /** Drops the least recently used entries until the rest fit (the newest always fits). */
  #evict(): void {
    for (const [key, held] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#remove(key, held);
    }
  }
}

const keyOf = (series: number, unit: number, start: number): string => `${series}/${unit}/${start}`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
