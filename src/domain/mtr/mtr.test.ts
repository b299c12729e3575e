import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMtrRawStream, formatMtrReport, parseMtr, type MtrHop, type MtrResult } from './index';
import { parseMtrReport } from './report';

describe('parseMtr', () => {
  it('keeps ??? hops in place and gathers extra hosts of a hop', () => {
    const r = parseMtr(
      [
        'HOST: box                         Loss%   Snt   Last   Avg  Best  Wrst StDev',
        '  1.|-- 10.0.0.1                   0.0%     4    1.0   1.1   0.9   1.4   0.2',
        '    |  `|-- 10.0.0.2',
        '    |   |-- 10.0.0.3',
        '  2.|-- ???                       100.0     4    0.0   0.0   0.0   0.0   0.0',
        '  3.|-- 8.8.8.8                    0.0%     4   40.0  28.8  20.0  40.0   8.3',
      ].join('\n'),
    );
    expect(r.hops.map((h) => [h.hop, h.host, h.hosts.length])).toEqual([
      [1, '10.0.0.1', 3],
      [2, null, 0],
      [3, '8.8.8.8', 1],
    ]);
  });

  it('reads old JSON with numbers as strings', () => {
    const r = parseMtr(
      '{"report":{"mtr":{"dst":"x","tests":"2"},"hubs":[{"count":"1","host":"a","Loss%":"50.0%","Snt":"2","Last":"1.5","Avg":"1.5","Best":"1.5","Wrst":"1.5","StDev":"0.0"}]}}',
    );
    expect(r.target).toBe('x');
    expect(r.hops[0]).toMatchObject({ hop: 1, host: 'a', lossPct: 50, sent: 2, avgMs: 1.5 });
  });

  it('reads JSON cut before its closing brackets as far as it goes, and says where it stopped', () => {
    const whole =
      '{"report":{"mtr":{"dst":"x"},"hubs":[{"count":"1","host":"a","Loss%":0.00,"Snt":2,"Avg":1.5},\n{"count":"2","host":"b","Loss%":0.00,"Snt":2,"Avg":3.5}]}}';
    expect(parseMtr(whole).stoppedAt).toBeUndefined();
    const cut = parseMtr(whole.slice(0, whole.lastIndexOf(']')));
    expect(cut.hops.map((h) => [h.hop, h.host, h.avgMs])).toEqual([
      [1, 'a', 1.5],
      [2, 'b', 3.5],
    ]);
    expect(cut.stoppedAt).toEqual({ line: 2, reason: expect.stringMatching(/cut short/) });
    // Cut inside a value: nothing to trust, so nothing is made up.
    expect(parseMtr(whole.slice(0, whole.indexOf('"b"') + 2))).toMatchObject({ hops: [], stoppedAt: { line: 1 } });
  });

  it('reads CSV and WinMTR', () => {
    const csv = parseMtr(
      'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,\nMTR.0.95,1,OK,t,1,10.0.0.1,0.00,3,0,0.07,0.06,0.06,0.07,0.01\nMTR.0.95,1,OK,t,2,???,100.00,3,0,0.00,0.00,0.00,0.00,0.00\n',
    );
    expect(csv.hops.map((h) => [h.hop, h.host])).toEqual([
      [1, '10.0.0.1'],
      [2, null],
    ]);
    const win = parseMtr(
      '|                                      WinMTR statistics                                   |\n|                   No response from host -  100 |    1 |    0 |    0 |    0 |    0 |    0 |\n|                              dns.google -   20 |    5 |    4 |    0 |   25 |   27 |   24 |\n',
    );
    expect(win.hops.map((h) => [h.hop, h.host, h.avgMs])).toEqual([
      [1, null, 0],
      [2, 'dns.google', 25],
    ]);
  });

  it('marks a report line cut short', () => {
    const r = parseMtrReport('HOST: a   Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 10.0.0.1   0.0%   3\n');
    expect(r.stoppedAt).toEqual({ line: 2, reason: 'hop line cut short' });
  });
});

describe('createMtrRawStream', () => {
  it('builds hops as raw lines arrive, unknown hops included', () => {
    const s = createMtrRawStream();
    for (const l of ['x 0 1', 'h 0 10.0.0.1', 'p 0 1500 1', 'x 1 2', 'x 2 3', 'h 2 8.8.8.8', 'p 2 9000 3', 'x 0 4', 'p 0 2500 4'])
      s.push(l);
    const hops = s.hops();
    expect(hops.map((h) => [h.hop, h.host, h.sent, h.lossPct])).toEqual([
      [1, '10.0.0.1', 2, 0],
      [2, null, 1, 100],
      [3, '8.8.8.8', 1, 0],
    ]);
    expect(hops[0]).toMatchObject({ bestMs: 1.5, worstMs: 2.5, avgMs: 2, lastMs: 2.5 });
  });
});

// Hops as our own live runs produce them: numbered from 1, unknown hops in place, figures
// rounded to the tenth of a millisecond that the report prints.
const tenth = fc.integer({ min: 0, max: 99_999 }).map((n) => n / 10);
const hopArb = fc.record({
  host: fc.option(fc.constantFrom('10.0.0.1', '192.0.2.7', 'sip1.example.net', 'edge-rtr.example.org', '2001:db8::1'), { nil: null }),
  extra: fc.array(fc.constantFrom('10.0.0.2', '10.0.0.3'), { maxLength: 2 }),
  loss: fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
  sent: fc.integer({ min: 1, max: 9999 }),
  last: tenth,
  avg: tenth,
  best: tenth,
  worst: tenth,
  sd: tenth,
});
const liveRun: fc.Arbitrary<MtrResult> = fc.array(hopArb, { minLength: 1, maxLength: 30 }).map((hs) => ({
  hops: hs.map((h, i): MtrHop =>
    h.host === null
      ? { hop: i + 1, host: null, hosts: [], lossPct: 100, sent: h.sent, lastMs: 0, avgMs: 0, bestMs: 0, worstMs: 0, stddevMs: 0 }
      : {
          hop: i + 1,
          host: h.host,
          hosts: [h.host, ...h.extra],
          lossPct: h.loss,
          sent: h.sent,
          lastMs: h.last,
          avgMs: h.avg,
          bestMs: h.best,
          worstMs: h.worst,
          stddevMs: h.sd,
        },
  ),
}));

describe('formatMtrReport round trip', () => {
  it('parse(format(result)) equals result', () => {
    fc.assert(
      fc.property(liveRun, (result) => {
        expect(parseMtr(formatMtrReport(result)).hops).toEqual(result.hops);
      }),
    );
  });
});

describe('parseMtr never throws', () => {
  it('on arbitrary text in every flavour', () => {
    const flavors = ['report', 'report-wide', 'json', 'raw', 'csv', 'winmtr', null] as const;
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(...flavors), (text, flavor) => {
        parseMtr(text, flavor);
      }),
    );
  });
  it('on JSON-shaped noise', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        parseMtr(text, 'json');
        parseMtr(`{"report":{"hubs":[${text}]}}`, 'json');
      }),
    );
  });
});
