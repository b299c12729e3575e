import { describe, expect, it } from 'vitest';
import { pingRows } from '../../../domain/ping/reply-rows';
import type { PingReply } from '../../../domain/ping/types';
import { pingSeries } from './ping-series';

const reply = (seq: number | null, extra: Partial<PingReply> = {}): PingReply => ({
  seq,
  ttl: 64,
  rttMs: seq === null ? 5 : seq * 10,
  duplicate: false,
  ...extra,
});

describe('pingSeries', () => {
  it('breaks the line at a lost request and marks it, instead of joining 3 to 5', () => {
    const s = pingSeries(pingRows([reply(1), reply(2), reply(3), reply(5)], { sent: 6, received: 4 }));
    expect(s.line).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
      [4, null],
      [5, 50],
      [6, null],
    ]);
    expect(s.lost).toEqual([
      [4, 0],
      [6, 0],
    ]);
  });

  it('marks timeout and error lines too, and leaves duplicates off the line', () => {
    const s = pingSeries(pingRows([reply(1), reply(1, { duplicate: true }), reply(2, { rttMs: null, error: 'timeout' }), reply(3)]));
    expect(s.line).toEqual([
      [1, 10],
      [2, null],
      [3, 30],
    ]);
    expect(s.lost).toEqual([[2, 0]]);
  });

  it('places unnumbered replies by their order, and a long run of losses by a bounded number of marks', () => {
    expect(pingSeries(pingRows([reply(null), reply(null)])).line).toEqual([
      [1, 5],
      [2, 5],
    ]);
    const long = pingSeries(pingRows([reply(1), reply(5000)], { sent: 5000, received: 2 }));
    expect(long.line).toEqual([
      [1, 10],
      [2, null],
      [5000, 50000],
    ]);
    expect(long.lost.length).toBeLessThanOrEqual(202);
    expect(long.lost[0]).toEqual([2, 0]);
    expect(long.lost.at(-1)).toEqual([4999, 0]);
  });

  it('breaks the line without a loss mark where text was left out of a paste', () => {
    const s = pingSeries(pingRows([reply(1), reply(2), reply(999), reply(1000)], { sent: 1000, received: 1000 }));
    expect(s.line).toEqual([
      [1, 10],
      [2, 20],
      [3, null],
      [999, 9990],
      [1000, 10000],
    ]);
    expect(s.lost).toEqual([]);
  });
});
