import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFpingLine, scanFpingLine } from './fping-line';

const LINES = [
  '127.0.0.1  : [3], 64 bytes, 0.046 ms (0.046 avg, 0% loss)',
  '10.254.0.2 : [1], timed out (NaN avg, 100% loss)',
  '[1795610953.21248] 127.0.0.3  : [0], 64 bytes, 0.113 ms (0.113 avg, 0% loss)',
  '[1795610953.21248] 10.254.0.2 : [7], timed out (NaN avg, 100% loss)',
  'host.example : [12], 84 bytes, 12.5 ms (12.1 avg, 0% loss)',
];

describe('parseFpingLine', () => {
  it('reads replies and timeouts of fping -l, with or without -D timestamps', () => {
    expect(parseFpingLine(LINES[0] ?? '')).toEqual({ target: '127.0.0.1', seq: 3, rttMs: 0.046 });
    expect(parseFpingLine(LINES[1] ?? '')).toEqual({ target: '10.254.0.2', seq: 1, rttMs: null });
    expect(parseFpingLine(LINES[2] ?? '')).toEqual({ target: '127.0.0.3', seq: 0, rttMs: 0.113, timestamp: 1795610953212 });
    expect(parseFpingLine(LINES[4] ?? '')).toMatchObject({ target: 'host.example', rttMs: 12.5 });
  });

  it('ignores everything that is not a per-probe result', () => {
    for (const line of [
      '',
      'ICMP Host Unreachable from 10.254.0.1 for ICMP Echo sent to 10.254.0.2',
      '127.0.0.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.04/0.05/0.06',
      '127.0.0.1 : 0.055 0.050 0.053',
      'garbage : [x], 64 bytes',
    ]) {
      expect(parseFpingLine(line)).toBeNull();
      expect(scanFpingLine(line)).toBeNull();
    }
  });
});

describe('scanFpingLine', () => {
  it('reads what fping prints exactly as the reference does', () => {
    for (const line of LINES) expect(scanFpingLine(line)).toEqual(parseFpingLine(line));
    expect(scanFpingLine(LINES[3] ?? '')).toEqual({ target: '10.254.0.2', seq: 7, rttMs: null, timestamp: 1795610953212 });
  });

  it('agrees with the reference on fping-shaped lines, mutated lines and arbitrary text', () => {
    const token = fc.constantFrom(
      '127.0.0.1',
      '::1',
      'fe80::1%lo',
      'a.b',
      '[x]',
      '',
      ' ',
      '  ',
      ':',
      ': [',
      '[',
      ']',
      '],',
      ', ',
      '64',
      '0',
      '7.5',
      '1.',
      '.',
      '1.2.3',
      'bytes,',
      ' bytes, ',
      ' ms',
      'ms',
      'msx',
      ' (',
      'timed out',
      'timed outs',
      '\t',
      '\u00a0',
      'NaN',
      '[1795610953.21248] ',
      '[12] ',
      '[1.] ',
    );
    const shaped = fc
      .record({
        ts: fc.option(fc.tuple(fc.nat(), fc.option(fc.nat())), { nil: undefined }),
        target: fc.stringMatching(/^[!-~]{1,20}$/),
        pad: fc.constantFrom(' ', '  ', '', '\t'),
        seq: fc.nat(),
        body: fc.oneof(
          fc.constant('timed out'),
          fc.tuple(fc.nat(200), fc.stringMatching(/^[0-9.]{0,8}$/)).map(([b, ms]) => `${b} bytes, ${ms} ms`),
        ),
        tail: fc.constantFrom('', ' (0.046 avg, 0% loss)', 'x', '.', ' '),
      })
      .map(
        ({ ts, target, pad, seq, body, tail }) =>
          `${ts ? `[${ts[0]}${ts[1] === null ? '' : `.${ts[1]}`}] ` : ''}${target}${pad}: [${seq}], ${body}${tail}`,
      );
    const mutated = fc.tuple(shaped, fc.nat(), fc.nat(3), token).map(([line, at, cut, t]) => {
      const p = at % (line.length + 1);
      return line.slice(0, p) + t + line.slice(Math.min(line.length, p + cut));
    });
    const line = fc.oneof(
      shaped,
      mutated,
      fc.array(token, { maxLength: 12 }).map((ts) => ts.join('')),
      fc.string(),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(line, (l) => JSON.stringify(scanFpingLine(l)) === JSON.stringify(parseFpingLine(l))),
      { numRuns: 3_000 },
    );
  }, 30_000);
});
