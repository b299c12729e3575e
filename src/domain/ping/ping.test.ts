import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPingStream, formatPingLinux, parsePing, type PingReply, type PingResult } from './index';
import { summaryFromReplies } from './summary';

describe('parsePing (Linux iputils)', () => {
  it('reads -D timestamps, DUP!, errors and pipe', () => {
    const r = parsePing(
      [
        'PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.',
        '[1700000000.123456] 64 bytes from 10.0.0.9: icmp_seq=1 ttl=64 time=0.5 ms',
        '[1700000001.123456] 64 bytes from 10.0.0.9: icmp_seq=1 ttl=64 time=0.7 ms (DUP!)',
        '[1700000002.000000] From 10.0.0.1 icmp_seq=2 Destination Host Unreachable',
        '',
        '--- 10.0.0.9 ping statistics ---',
        '2 packets transmitted, 1 received, +1 duplicates, +1 errors, 50% packet loss, time 1001ms',
        'rtt min/avg/max/mdev = 0.500/0.600/0.700/0.100 ms, pipe 2',
      ].join('\n'),
    );
    expect(r.replies[0]).toEqual({ seq: 1, ttl: 64, rttMs: 0.5, from: '10.0.0.9', duplicate: false, timestamp: 1700000000123 });
    expect(r.replies[1]?.duplicate).toBe(true);
    expect(r.replies[2]?.error).toBe('unreachable: Destination Host Unreachable');
    expect(r.summary).toMatchObject({ sent: 2, received: 1, duplicates: 1, errors: 1, lossPct: 50, minMs: 0.5, stddevMs: 0.1 });
    expect(r.summary.printedLossPct).toBeUndefined();
    expect(r.stoppedAt).toBeUndefined();
  });

  it('keeps the printed loss only when it differs from the counts', () => {
    const r = parsePing(
      '--- x ping statistics ---\n3 packets transmitted, 2 received, 33% packet loss, time 2ms\nrtt min/avg/max/mdev = 1/1/1/0 ms\n',
    );
    expect(r.summary.lossPct).toBeCloseTo(33.333, 3);
    expect(r.summary.printedLossPct).toBe(33);
  });

  it('marks output that stops before the statistics', () => {
    const r = parsePing('PING a (1.2.3.4) 56(84) bytes of data.\n64 bytes from 1.2.3.4: icmp_seq=1 ttl=5 time=2 ms\n');
    expect(r.stoppedAt).toEqual({ line: 2, reason: expect.stringContaining('no statistics') });
    expect(r.summary).toMatchObject({ sent: 1, received: 1, minMs: 2 });
  });

  it('reads BSD timeouts and stddev, and BusyBox seq=', () => {
    const bsd = parsePing(
      'PING h (1.1.1.1): 56 data bytes\nRequest timeout for icmp_seq 0\n64 bytes from 1.1.1.1: icmp_seq=1 ttl=5 time=3.000 ms\n\n--- h ping statistics ---\n2 packets transmitted, 1 packets received, 50.0% packet loss\nround-trip min/avg/max/stddev = 3.000/3.000/3.000/0.000 ms\n',
    );
    expect(bsd.replies[0]).toMatchObject({ seq: 0, error: 'timeout' });
    expect(bsd.summary).toMatchObject({ sent: 2, received: 1, lossPct: 50, stddevMs: 0 });
    const bb = parsePing('PING h (1.1.1.1): 56 data bytes\n64 bytes from 1.1.1.1: seq=0 ttl=64 time=0.5 ms\n');
    expect(bb.replies[0]).toMatchObject({ seq: 0, ttl: 64, rttMs: 0.5 });
  });
});

describe('parsePing (Windows)', () => {
  it('numbers replies 1..N, timeouts included', () => {
    const r = parsePing(
      'Pinging 1.1.1.1 with 32 bytes of data:\r\nReply from 1.1.1.1: bytes=32 time=5ms TTL=57\r\nRequest timed out.\r\nReply from 1.1.1.1: bytes=32 time<1ms TTL=57\r\n',
    );
    expect(r.replies.map((x) => [x.seq, x.rttMs, x.error])).toEqual([
      [1, 5, undefined],
      [2, null, 'timeout'],
      [3, 0, undefined],
    ]);
  });

  it('reads the statistics block in Spanish', () => {
    const r = parsePing(
      'Estadísticas de ping para 8.8.8.8:\n    Paquetes: enviados = 4, recibidos = 3, perdidos = 1\n    (25% perdidos),\nTiempos aproximados de ida y vuelta en milisegundos:\n    Mínimo = 4ms, Máximo = 9ms, Media = 6ms\n',
    );
    expect(r.summary).toMatchObject({ sent: 4, received: 3, lossPct: 25, minMs: 4, maxMs: 9, avgMs: 6 });
  });
});

describe('createPingStream', () => {
  it('returns each reply and then the summary as lines arrive', () => {
    const s = createPingStream();
    expect(s.push('PING a (1.2.3.4) 56(84) bytes of data.')).toBeNull();
    expect(s.push('64 bytes from 1.2.3.4: icmp_seq=1 ttl=5 time=2 ms')).toMatchObject({ seq: 1, rttMs: 2 });
    expect(s.push('1 packets transmitted, 1 received, 0% packet loss, time 0ms')).toMatchObject({ sent: 1, received: 1 });
    expect(s.push('rtt min/avg/max/mdev = 2.000/2.000/2.000/0.000 ms')).toMatchObject({ minMs: 2 });
    expect(s.result().stoppedAt).toBeUndefined();
  });
});

// What our own live Linux runs produce: numbered replies, optional -D timestamps, DUP!s and
// ICMP errors, and a summary computed from them as iputils computes it.
const replyArb: fc.Arbitrary<PingReply> = fc
  .record({
    seq: fc.integer({ min: 1, max: 65535 }),
    ttl: fc.integer({ min: 1, max: 255 }),
    rttMs: fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000),
    from: fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', 'fe80::1%eth0'),
    duplicate: fc.boolean(),
    timestamp: fc.option(fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 }), { nil: undefined }),
    error: fc.option(fc.constantFrom('unreachable: Destination Host Unreachable', 'error: Time to live exceeded'), { nil: undefined }),
  })
  .map((r) => {
    const base: PingReply =
      r.error === undefined
        ? { seq: r.seq, ttl: r.ttl, rttMs: r.rttMs, from: r.from, duplicate: r.duplicate }
        : { seq: r.seq, ttl: null, rttMs: null, from: r.from, duplicate: false, error: r.error };
    return r.timestamp === undefined ? base : { ...base, timestamp: r.timestamp };
  });

const liveRun: fc.Arbitrary<PingResult> = fc
  .record({
    target: fc.constantFrom('127.0.0.1', 'sip1.example.net', '::1'),
    replies: fc.array(replyArb, { maxLength: 20 }),
  })
  .map(({ target, replies: drawn }) => {
    // iputils numbers requests in order; a DUP! repeats the previous sequence number.
    let seq = 0;
    const replies = drawn.map((r, i) => ({ ...r, seq: r.duplicate && i > 0 ? seq : (seq += 1) }));
    const summary = summaryFromReplies(replies);
    summary.errors = replies.filter((r) => r.error !== undefined).length;
    return { target, address: target, replies, summary, errors: [] };
  });

describe('formatPingLinux round trip', () => {
  it('parse(format(result)) equals result within the printed precision', () => {
    fc.assert(
      fc.property(liveRun, (result) => {
        const back = parsePing(formatPingLinux(result));
        expect(back.replies).toEqual(result.replies);
        expect(back.summary.sent).toBe(result.summary.sent);
        expect(back.summary.received).toBe(result.summary.received);
        expect(back.summary.lossPct).toBeCloseTo(result.summary.lossPct, 3);
        for (const k of ['minMs', 'avgMs', 'maxMs', 'stddevMs'] as const) {
          const want = result.summary[k];
          if (want === null) expect(back.summary[k]).toBeNull();
          else expect(Math.abs((back.summary[k] ?? NaN) - want)).toBeLessThanOrEqual(0.0005 + 1e-9);
        }
        expect(back.target).toBe(result.target);
      }),
    );
  });
});

describe('parsePing never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        parsePing(text);
      }),
    );
  });
  it('on shuffled real lines', () => {
    const lines = [
      'PING a (1.2.3.4) 56(84) bytes of data.',
      '--- a ping statistics ---',
      'Reply from 1.2.3.4: bytes=32 time=5ms TTL=5',
      '(25% Verlust),',
      'rtt min/avg/max/mdev = 1/2',
      '64 bytes from : icmp_seq=x',
      '',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 30 }), (ls) => {
        parsePing(ls.join('\n'));
      }),
    );
  });
});
