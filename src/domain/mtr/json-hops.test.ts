// Flat hop-list JSON from mtr forks. No real sample was found in public sources (see
// test/fixtures/mtr/README.md), so the inputs here are written from the forks' own code and
// the key list in issue 19, and are marked as such; they are not recorded output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mtrFlavorOf, parseMtr } from './index';

// Key layout of issue 19's list: `hops[]` with hop, ipaddr, host, asn, losspercent, sent,
// last, avg, best, worst, stddev, jitter. Figures here are illustrative, not measured.
const FLAT = `{
  "destination": "192.0.2.80",
  "hops": [
    {"hop": 1, "ipaddr": "10.0.0.1", "host": "gw.example.net", "asn": "AS64500", "losspercent": 0.0, "sent": 10, "last": 0.9, "avg": 1.1, "best": 0.8, "worst": 1.9, "stddev": 0.3, "jitter": 0.2},
    {"hop": 2, "ipaddr": "???", "host": "???", "asn": "", "losspercent": 100.0, "sent": 10, "last": 0.0, "avg": 0.0, "best": 0.0, "worst": 0.0, "stddev": 0.0, "jitter": 0.0},
    {"hop": 3, "ipaddr": "198.51.100.7", "host": "198.51.100.7", "asn": "AS64501", "losspercent": "20.0%", "sent": "10", "last": "12.5", "avg": "11.0", "best": "9.9", "worst": "14.2", "stddev": "1.4", "jitter": "0.7"},
    {"hop": 3, "ipaddr": "198.51.100.9", "host": "198.51.100.9", "losspercent": 20.0, "sent": 10},
    {"hop": 4, "ipaddr": "192.0.2.80", "losspercent": 0, "sent": 10, "last": 20.1, "avg": 20.4, "best": 19.8, "worst": 21.0, "stddev": 0.4}
  ]
}`;

// mtr085's `--json` layout, as its report.c json_close() prints it: per target a `data` list
// whose keys are the field names (`Loss%`, `Snt`, `Wrst`, `StDev`). Figures illustrative.
const MTR085 =
  '{"source":"box","args":"-j -c 3","targets":[\n    {"destination":"192.0.2.80","datetime":"2024-01-01 00:00:00 +0000","data":[\n        {"host":"10.0.0.1","hop":1,"up":1,"Loss%":0.0,"Snt":3,"Last":0.4,"Avg":0.5,"Best":0.4,"Wrst":0.7,"StDev":0.1},\n        {"host":"???","hop":2,"up":0,"Loss%":100.0,"Snt":3},\n        {"host":"192.0.2.80","hop":3,"up":1,"Loss%":33.3,"Snt":3,"Last":9.0,"Avg":9.5,"Best":9.0,"Wrst":10.0,"StDev":0.5}\n    ]}\n]}\n';

describe('flat hop-list JSON', () => {
  it('is recognised apart from upstream mtr --json', () => {
    expect(mtrFlavorOf(FLAT)).toBe('json-hops');
    expect(mtrFlavorOf(MTR085)).toBe('json-hops');
    expect(mtrFlavorOf('{"report":{"mtr":{},"hubs":[{"count":1,"host":"a","Loss%":0,"Snt":1}]}}')).toBe('json');
  });

  it('reads hops, loss, sent and round trips; numbers as strings too; extra addresses at one hop', () => {
    const r = parseMtr(FLAT);
    expect(r.target).toBe('192.0.2.80');
    expect(r.stoppedAt).toBeUndefined();
    expect(r.hops.map((h) => [h.hop, h.host, h.lossPct, h.sent])).toEqual([
      [1, 'gw.example.net', 0, 10],
      [2, null, 100, 10],
      [3, '198.51.100.7', 20, 10],
      [4, '192.0.2.80', 0, 10],
    ]);
    expect(r.hops[0]).toMatchObject({ lastMs: 0.9, avgMs: 1.1, bestMs: 0.8, worstMs: 1.9, stddevMs: 0.3 });
    expect(r.hops[2]).toMatchObject({ hosts: ['198.51.100.7', '198.51.100.9'], avgMs: 11, worstMs: 14.2, stddevMs: 1.4 });
  });

  it('reads mtr085 targets[].data[] with upstream field names', () => {
    const r = parseMtr(MTR085);
    expect(r.target).toBe('192.0.2.80');
    expect(r.hops.map((h) => [h.hop, h.host, h.lossPct, h.sent, h.avgMs, h.worstMs])).toEqual([
      [1, '10.0.0.1', 0, 3, 0.5, 0.7],
      [2, null, 100, 3, null, null],
      [3, '192.0.2.80', 33.3, 3, 9.5, 10],
    ]);
  });

  it('reads a paste cut before its closing brackets as far as it goes', () => {
    const cut = FLAT.slice(0, FLAT.indexOf('{"hop": 4'));
    const r = parseMtr(cut, 'json-hops');
    expect(r.hops.map((h) => h.hop)).toEqual([1, 2, 3]);
    expect(r.stoppedAt?.reason).toMatch(/cut short/);
  });

  it('says what is missing instead of throwing', () => {
    expect(parseMtr('{"hop": 1, "losspercent": 0}', 'json-hops')).toMatchObject({
      hops: [],
      stoppedAt: { line: 1, reason: expect.stringMatching(/no list of hops/) },
    });
    expect(parseMtr('{"hops": [{"hop": 1, "losspercent": 0, "sent": ', 'json-hops')).toMatchObject({ hops: [], stoppedAt: { line: 1 } });
    fc.assert(
      fc.property(fc.json(), (text) => {
        parseMtr(text, 'json-hops');
        parseMtr(`{"hops":[${text}]}`, 'json-hops');
      }),
    );
  });
});
