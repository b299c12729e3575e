import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../domain/monitoring/histogram';
import { RollupBlockCache } from './rollup-block-cache';
import { encodeRollupBlock, type BlockRow } from './rollup-block-codec';
import { columnsBytes, decodeRollupBlock, rowsOfColumns, type BlockColumns } from './rollup-block-decode';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

/** A block of `n` hour rows whose round trips start at `baseUs`. */
function block(n: number, baseUs: number): Uint8Array {
  const rows: BlockRow[] = Array.from({ length: n }, (_, i) => {
    const min = baseUs + (i % 7) * 10;
    return {
      bucket: START + i * HOUR,
      count: 720,
      lost: i % 5 === 0 ? 1 : 0,
      flagged: 0,
      minUs: min,
      maxUs: min,
      sumUs: min * (i % 5 === 0 ? 719 : 720),
      sumSqUs2: min * min * (i % 5 === 0 ? 719 : 720),
      hist: [[bucketOf(min / 1000), i % 5 === 0 ? 719 : 720]],
    };
  });
  return Buffer.from(encodeRollupBlock(START, HOUR, rows));
}

const rowsOf = (c: BlockColumns) => rowsOfColumns(c, 0, c.length);

/** Reads a block twice, as a chart's refresh would: the second read keeps it. */
function readTwice(cache: RollupBlockCache, series: number, data: Uint8Array, start = START): BlockColumns {
  cache.columns(series, HOUR, start, data);
  return cache.columns(series, HOUR, start, Buffer.from(data));
}

describe('rollup block cache', () => {
  it('decodes a block as decodeRollupBlock does, and from its second read on gives the same columns back', () => {
    const cache = new RollupBlockCache();
    const data = block(24, 5_000);
    const once = cache.columns(1, HOUR, START, data);
    expect(rowsOf(once)).toEqual(decodeRollupBlock(START, HOUR, data));
    // Read once, a block is remembered but not held: a sweep over many blocks pushes out nothing.
    expect(cache.size).toBe(0);
    expect(cache.bytesHeld).toBe(0);
    // Read again (a fresh Buffer with equal bytes, as SQLite hands it out): held from now on.
    const twice = cache.columns(1, HOUR, START, Buffer.from(data));
    expect(rowsOf(twice)).toEqual(rowsOf(once));
    expect(cache.size).toBe(1);
    expect(cache.columns(1, HOUR, START, Buffer.from(data))).toBe(twice);
    expect(cache.bytesHeld).toBeGreaterThan(data.length);
  });

  it('decodes afresh when the stored bytes changed, whoever changed them', () => {
    const cache = new RollupBlockCache();
    const before = block(24, 5_000);
    const after = block(25, 9_000);
    const old = readTwice(cache, 1, before);
    // Changed bytes decode afresh and are held at once (the block was read before).
    const fresh = cache.columns(1, HOUR, START, after);
    expect(fresh).not.toBe(old);
    expect(cache.size).toBe(1);
    expect(rowsOf(fresh)).toEqual(decodeRollupBlock(START, HOUR, after));
    expect(rowsOf(fresh)).not.toEqual(rowsOf(old));
    // Same length, one byte different: still not the held entry.
    const flipped = Buffer.from(after);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    const again = cache.columns(1, HOUR, START, after);
    expect(again).toBe(fresh);
    // Damaged bytes may not decode at all; either way they are never answered from the entry.
    let reread: unknown;
    try {
      reread = cache.columns(1, HOUR, START, flipped);
    } catch (error) {
      reread = error;
    }
    expect(reread).not.toBe(fresh);
    expect(cache.size).toBeLessThanOrEqual(1);
  });

  it('keys entries by series, unit and start', () => {
    const cache = new RollupBlockCache();
    const a = block(10, 5_000);
    const b = block(10, 7_000);
    const ca = readTwice(cache, 1, a);
    const cb = readTwice(cache, 2, b);
    expect(cache.columns(1, HOUR, START, a)).toBe(ca);
    expect(cache.columns(2, HOUR, START, b)).toBe(cb);
    expect(rowsOf(cache.columns(2, HOUR, START, b))).toEqual(decodeRollupBlock(START, HOUR, b));
    expect(cache.size).toBe(2);
  });

  it('stays within its bytes, dropping the least recently used block first', () => {
    const blocks = [0, 1, 2, 3].map((i) => block(48, 5_000 + i * 1_000));
    const one = columnsBytes(new RollupBlockCache(0).columns(0, HOUR, START, blocks[0] as Uint8Array)) + (blocks[0] as Uint8Array).length;
    const cache = new RollupBlockCache(3 * one);
    const held = blocks.slice(0, 3).map((data, series) => readTwice(cache, series, data));
    expect(cache.size).toBe(3);
    // Series 0 is used again, so series 1 is now the least recently used.
    expect(cache.columns(0, HOUR, START, blocks[0] as Uint8Array)).toBe(held[0]);
    readTwice(cache, 3, blocks[3] as Uint8Array);
    expect(cache.size).toBe(3);
    expect(cache.bytesHeld).toBeLessThanOrEqual(3 * one);
    expect(cache.columns(0, HOUR, START, blocks[0] as Uint8Array)).toBe(held[0]);
    expect(cache.columns(2, HOUR, START, blocks[2] as Uint8Array)).toBe(held[2]);
    // Series 1 was dropped: read again, it is decoded afresh.
    expect(cache.columns(1, HOUR, START, blocks[1] as Uint8Array)).not.toBe(held[1]);
  });

  it('holds nothing with no budget, and no block larger than its budget', () => {
    const none = new RollupBlockCache(0);
    const data = block(24, 5_000);
    const a = readTwice(none, 1, data);
    expect(none.columns(1, HOUR, START, data)).not.toBe(a);
    expect(none.size).toBe(0);
    expect(none.bytesHeld).toBe(0);
    const small = new RollupBlockCache(100);
    readTwice(small, 1, data);
    expect(small.size).toBe(0);
  });

  it('forgets a block or a whole series on request', () => {
    const cache = new RollupBlockCache();
    const a = block(10, 5_000);
    const first = readTwice(cache, 1, a);
    readTwice(cache, 1, block(10, 6_000), START + 30 * 24 * HOUR);
    readTwice(cache, 12, block(10, 7_000));
    cache.drop(1, HOUR, START);
    expect(cache.size).toBe(2);
    expect(cache.columns(1, HOUR, START, a)).not.toBe(first);
    cache.dropSeries(1);
    // Series 12 shares the prefix "1" but not the series.
    expect(cache.size).toBe(1);
    // A series forgotten is forgotten whole: its next read is a first read again.
    cache.columns(1, HOUR, START, a);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.bytesHeld).toBe(0);
  });
});
