import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePing } from './index';
import { MAX_LOST_ROWS_PER_GAP, pingRows, pingRowsOf, type PingRow } from './reply-rows';
import type { PingReply } from './types';

const reply = (seq: number | null, extra: Partial<PingReply> = {}): PingReply => ({ seq, ttl: 64, rttMs: 1, duplicate: false, ...extra });
const replies = (...seqs: number[]): PingReply[] => seqs.map((s) => reply(s));
/** `4` for a reply, `-4` for a lost row, `~4-9` for a not-shown range. */
const shape = (rows: PingRow[]): string[] =>
  rows.map((r) =>
    r.kind === 'reply'
      ? String(r.reply.seq)
      : r.kind === 'lost'
        ? r.count === 1
          ? `-${r.seq}`
          : `-${r.seq}..${r.toSeq}`
        : `~${r.seq}-${r.toSeq}`,
  );

describe('pingRows', () => {
  it('puts a lost row where a sequence number is missing', () => {
    expect(shape(pingRows(replies(1, 2, 3, 5, 6)))).toEqual(['1', '2', '3', '-4', '5', '6']);
    expect(shape(pingRows(replies(1, 4)))).toEqual(['1', '-2', '-3', '4']);
  });

  it('adds the final lost requests known from the transmitted count', () => {
    expect(shape(pingRows(replies(1, 2, 3), { sent: 5, received: 3 }))).toEqual(['1', '2', '3', '-4', '-5']);
    // Running (no count yet): nothing is made up after the last reply.
    expect(shape(pingRows(replies(1, 2, 3)))).toEqual(['1', '2', '3']);
  });

  it('puts the first lost requests before the first reply, from 1 (Linux) or 0 (BSD, BusyBox)', () => {
    expect(shape(pingRows(replies(2, 3), { sent: 3, received: 2 }))).toEqual(['-1', '2', '3']);
    expect(shape(pingRows(replies(2, 3), { sent: 4, received: 2, firstSeq: 0 }))).toEqual(['-0', '-1', '2', '3']);
    expect(shape(pingRows(replies(0, 1, 3), { sent: 4, received: 3 }))).toEqual(['0', '1', '-2', '3']);
  });

  it('follows the 16-bit sequence number across its wrap', () => {
    const rows = pingRows(replies(65533, 65534, 0, 2));
    expect(shape(rows)).toEqual(['65533', '65534', '-65535', '0', '-1', '2']);
    expect(rows.map((r) => r.at)).toEqual([65533, 65534, 65535, 65536, 65537, 65538]);
  });

  it('keeps duplicates and late replies where they were printed, and does not call them lost', () => {
    const list = [reply(1), reply(1, { duplicate: true }), reply(3), reply(2), reply(4)];
    expect(shape(pingRows(list, { sent: 4, received: 4 }))).toEqual(['1', '1', '3', '2', '4']);
  });

  it('counts error lines as shown, not lost (unreachable, timeouts)', () => {
    const list = [reply(1), reply(2, { rttMs: null, error: 'unreachable: Destination Host Unreachable' }), reply(4)];
    expect(shape(pingRows(list, { sent: 5, received: 2 }))).toEqual(['1', '2', '-3', '4', '-5']);
  });

  it('says "not in the text" where the counts show the gap was cut out, not lost', () => {
    const list = [...replies(1, 2, 3), ...replies(998, 999, 1000)];
    expect(shape(pingRows(list, { sent: 1000, received: 999 }))).toEqual(['1', '2', '3', '~4-997', '998', '999', '1000']);
    // Windows numbers its lines itself: a paste showing one of five answered requests.
    expect(shape(pingRows(replies(1), { sent: 5, received: 5 }))).toEqual(['1', '~2-5']);
  });

  it('gathers a long run of losses into one row', () => {
    const rows = pingRows(replies(1, 500), { sent: 500, received: 2 });
    expect(shape(rows)).toEqual(['1', '-2..499', '500']);
    expect(rows[1]).toMatchObject({ kind: 'lost', count: 498 });
    expect(MAX_LOST_ROWS_PER_GAP).toBeLessThan(498);
  });

  it('leaves unnumbered replies alone', () => {
    const list = [reply(null), reply(null, { rttMs: null, error: 'timeout' })];
    expect(pingRows(list, { sent: 2, received: 1 }).map((r) => r.kind)).toEqual(['reply', 'reply']);
  });

  it('keeps every reply, in order, whatever the input', () => {
    const seq = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null });
    const arb = fc.array(fc.record({ seq, duplicate: fc.boolean(), lost: fc.boolean() }), { maxLength: 40 });
    fc.assert(
      fc.property(
        arb,
        fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        (list, sent, received) => {
          const input = list.map((r) => reply(r.seq, { duplicate: r.duplicate, ...(r.lost ? { rttMs: null, error: 'timeout' } : {}) }));
          const rows = pingRows(input, { sent, received });
          expect(rows.flatMap((r) => (r.kind === 'reply' ? [r.reply] : []))).toEqual(input);
          expect(rows.length).toBeLessThan(input.length * (MAX_LOST_ROWS_PER_GAP + 2) + 2 * MAX_LOST_ROWS_PER_GAP + 3);
        },
      ),
    );
  });
});

describe('pingRowsOf a parsed ping', () => {
  const text = [
    'PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.',
    '64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=0.5 ms',
    '64 bytes from 192.0.2.1: icmp_seq=2 ttl=64 time=0.6 ms',
    '64 bytes from 192.0.2.1: icmp_seq=3 ttl=64 time=0.5 ms',
    '64 bytes from 192.0.2.1: icmp_seq=5 ttl=64 time=0.7 ms',
    '',
    '--- 192.0.2.1 ping statistics ---',
    '6 packets transmitted, 4 received, 33.3333% packet loss, time 5006ms',
    'rtt min/avg/max/mdev = 0.500/0.575/0.700/0.083 ms',
  ].join('\n');

  it('shows seq 4 and the last request as lost, once the run has ended', () => {
    expect(shape(pingRowsOf(parsePing(text), true))).toEqual(['1', '2', '3', '-4', '5', '-6']);
    expect(shape(pingRowsOf(parsePing(text), false))).toEqual(['1', '2', '3', '-4', '5']);
  });

  it('trusts no count from a paste cut before its statistics', () => {
    const cut = parsePing(text.split('\n').slice(0, 5).join('\n'));
    expect(cut.stoppedAt).toBeDefined();
    expect(shape(pingRowsOf(cut, true))).toEqual(['1', '2', '3', '-4', '5']);
  });
});
