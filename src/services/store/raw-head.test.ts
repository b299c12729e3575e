import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtSchema } from '../../../test/helpers/old-schema';
import type { Db } from './database';
import { createRawHead, minuteOf, type RawHead } from './raw-head';

const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-raw-head-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A fresh file migrated up to `version` (the head keyed by series before 22, by minute from 22). */
const openAt = (version: number): Db => openAtSchema(path.join(dir, `head-${(files += 1)}.db`), version);

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

type Op =
  | { op: 'insert'; series: number; at: number; rttUs: number | null; code: number | null }
  | { op: 'range'; series: number; from: number; to: number }
  | { op: 'newest'; series: number; limit: number }
  | { op: 'drop'; series: number; from: number; to: number }
  | { op: 'take'; series: number; from: number; to: number }
  | { op: 'slice'; after: number; through: number; from: number; to: number }
  | { op: 'newestAt' };

// Times over an hour with a few far-off stragglers (a day back, a year back, before 1970) and
// bounds that are infinite: the minutes the head walks must cover all of them.
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: T0, max: T0 + 3_600_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(T0 - 86_400_000, T0 - 366 * 86_400_000, -61_000, 0, 59_999, 60_000) },
);
const bound = fc.oneof({ weight: 6, arbitrary: time }, { weight: 1, arbitrary: fc.constantFrom(-Infinity, Infinity) });
const series = fc.integer({ min: 1, max: 6 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      series,
      at: time,
      rttUs: fc.option(fc.nat(2_000_000), { nil: null }),
      code: fc.option(fc.constantFrom(200, 503), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('range' as const), series, from: bound, to: bound }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('newest' as const), series, limit: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), series, from: bound, to: bound }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('take' as const), series, from: bound, to: bound }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('slice' as const),
      after: fc.integer({ min: 0, max: 6 }),
      through: fc.integer({ min: 0, max: 7 }),
      from: bound,
      to: bound,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'newestAt' as const }) },
);

function apply(head: RawHead, o: Op): unknown {
  switch (o.op) {
    case 'insert':
      return head.insert(o.series, o.at, o.rttUs, o.code);
    case 'range':
      return head.range(o.series, o.from, o.to);
    case 'newest':
      return head.newest(o.series, o.limit);
    case 'drop':
      return head.drop(o.series, o.from, o.to);
    case 'take': {
      // What it returns is what a read of the range gave, and it leaves what a delete leaves.
      const rows = head.range(o.series, o.from, o.to);
      const taken = head.take(o.series, o.from, o.to);
      expect(taken).toEqual(rows);
      expect(head.range(o.series, o.from, o.to)).toEqual([]);
      return taken;
    }
    case 'slice':
      // In no particular order: compared sorted.
      return [...head.slice(o.after, o.through, o.from, o.to)].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    case 'newestAt':
      return head.newestAt();
  }
}

describe('raw head keyed by minute', () => {
  it('answers every read, insert and delete as the head keyed by series did', () => {
    const bySeries = openAt(21);
    const byMinute = openAt(22);
    try {
      // The close's slice walks series that exist: every raw row's series does.
      for (const db of [bySeries, byMinute])
        for (let id = 1; id <= 7; id += 1) db.prepare('INSERT INTO probe_series (id, server_id, kind) VALUES (?, ?, 2)').run(id, `s-${id}`);
      const legacy = createRawHead(bySeries);
      const head = createRawHead(byMinute);
      fc.assert(
        fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
          bySeries.exec('DELETE FROM probe_raw');
          byMinute.exec('DELETE FROM probe_raw');
          for (const o of ops) expect(apply(head, o), JSON.stringify(o)).toEqual(apply(legacy, o));
        }),
        { numRuns: 150 },
      );
    } finally {
      bySeries.close();
      byMinute.close();
    }
  });

  it('holds every writer to the minute of its time', () => {
    const db = openAt(22);
    try {
      const at = T0 + 61_000;
      expect(minuteOf(at)).toBe(Math.floor(at / 60_000));
      const insert = db.prepare('INSERT INTO probe_raw (minute, series, at, rtt_us, code) VALUES (?, 1, ?, 10, NULL)');
      expect(() => insert.run(minuteOf(at) + 1, at)).toThrow(/CHECK constraint/);
      insert.run(minuteOf(at), at);
      expect(createRawHead(db).range(1, -Infinity, Infinity)).toEqual([[at, 10, null]]);
    } finally {
      db.close();
    }
  });

  it('reads a series across a head a year wide, newest first or oldest first', () => {
    const db = openAt(22);
    try {
      const head = createRawHead(db);
      head.insert(1, T0 - 366 * 86_400_000, 5, null);
      for (let k = 0; k < 12; k += 1) head.insert(1, T0 + k * 5_000, 100 + k, 200);
      expect(head.range(1, -Infinity, Infinity)).toHaveLength(13);
      expect(head.newest(1, 2)).toEqual([
        [T0 + 55_000, 111, 200],
        [T0 + 50_000, 110, 200],
      ]);
    } finally {
      db.close();
    }
  });
});
