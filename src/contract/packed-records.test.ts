import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotPackable, packValue, unpackValue } from './packed-records';

/** Through the text a page carries, as the console reads it. */
const roundTrip = (value: unknown): unknown => unpackValue(JSON.parse(JSON.stringify(packValue(value))));
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const STATUSES = ['online', 'degraded', 'down', 'unknown'] as const;

/** Rows like the fleet's and latest values like monitoring's: like records, nested, nullable. */
const row = fc.record({
  id: fc.uuid(),
  alias: fc.string(),
  status: fc.constantFrom(...STATUSES),
  channels: fc.integer(),
  fqdn: fc.option(fc.string()),
  sip: fc.option(fc.record({ rttMs: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })), at: fc.nat() })),
  tags: fc.array(fc.constantFrom('a', 'b', 'c')),
});
const rows = fc.array(fc.option(row, { freq: 10 }), { maxLength: 40 });

describe('packed records', () => {
  it('gives back every JSON value exactly, key order included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let packed: unknown;
        try {
          packed = packValue(value);
        } catch (error) {
          // Only a reserved key may refuse.
          expect(error).toBeInstanceOf(NotPackable);
          expect(JSON.stringify(value)).toMatch(/"(\$records|\$words|\$steps|__proto__)":/);
          return;
        }
        const back = unpackValue(JSON.parse(JSON.stringify(packed)));
        expect(JSON.stringify(back)).toBe(JSON.stringify(value));
        expect(back).toStrictEqual(asJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('gives back lists of like records, with nulls and nested records among them', () => {
    fc.assert(
      fc.property(rows, fc.constantFrom('plain', 'envelope'), (list, wrap) => {
        const value = wrap === 'plain' ? list : { ok: true, data: list };
        const back = roundTrip(value);
        expect(JSON.stringify(back)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a fleet of like rows in well under half the bytes', () => {
    // The fields of fleet:list-rows and monitoring:latest-summaries, as a 1,000-server fleet has them.
    const zones = ['7c1e2a40-6b0f-4b8e-9a57-2f1d3c4b5a69', 'b777eac0-4f4f-4ddf-893b-a6c3c4a81d1e', '34801f88-78ed-4006-8633-c5575a45cdae'];
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const rows = Array.from({ length: 1_000 }, (_, i) => ({
      id: id(i),
      ip: `127.1.${i >> 8}.${i & 255}`,
      alias: `sw${i}`,
      type: i % 5 === 0 ? 'dispatcher' : 'switch',
      clusterId: null,
      zoneId: zones[i % 3],
      channels: 100,
      cps: 10,
      expiresAt: null,
      adminState: 'running',
      status: STATUSES[i % 4],
      installRecommended: false,
      updatePending: i % 50 === 0,
      fqdn: null,
    }));
    const latest = rows.map((r, i) => ({
      serverId: r.id,
      status: r.status,
      reason: r.status === 'down' ? 'SIP UDP: 9 lost in a row' : '',
      sip: i % 10 === 0 ? null : { rttMs: (i % 97) / 10, code: 200, at: 1_796_354_043_271 + i },
      icmp: { rttMs: (i % 13) / 100, code: null, at: 1_796_354_042_715 + i },
      sipLossPct: i % 10 === 0 ? 100 : 0,
      icmpLossPct: 0,
    }));
    for (const data of [rows, latest]) {
      const plain = JSON.stringify({ ok: true, data });
      const packed = JSON.stringify(packValue({ ok: true, data }));
      expect(packed.length).toBeLessThan(plain.length * 0.45);
      expect(roundTrip({ ok: true, data })).toStrictEqual({ ok: true, data });
    }
    // Columns of repeated words became indexes; the nested round trips became records again.
    const packed = JSON.stringify(packValue(latest));
    expect(packed).toContain('"$words"');
    expect(packed.match(/"\$records"/g)?.length).toBe(3);
  });

  it('writes runs of integers as steps when that is shorter, and gives them back exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: 1_796_354_040_000, max: 1_796_354_050_000 })), {
          minLength: 8,
          maxLength: 60,
        }),
        (list) => {
          const text = JSON.stringify(packValue(list));
          expect(text.length).toBeLessThanOrEqual(JSON.stringify(list).length + 12);
          expect(unpackValue(JSON.parse(text))).toStrictEqual(list);
        },
      ),
      { numRuns: 300 },
    );
    const times = Array.from({ length: 100 }, (_, i) => 1_796_354_043_271 + i * 37);
    expect(JSON.stringify(packValue(times))).toContain('"$steps"');
    expect(JSON.stringify(packValue(times)).length).toBeLessThan(JSON.stringify(times).length / 3);
    // -0 and floats are not integers to step through.
    expect(JSON.stringify(packValue([...times.slice(0, 9), 0.5]))).not.toContain('$steps');
    expect(Object.is((unpackValue(JSON.parse(JSON.stringify(packValue([-0, ...times])))) as number[])[0], 0)).toBe(true);
  });

  it('keeps a key named __proto__ an own value, never an object’s prototype', () => {
    const value = JSON.parse('{"a":[{"__proto__":{"x":1}}]}') as unknown;
    expect(() => packValue(value)).toThrow(NotPackable);
    const back = unpackValue(JSON.parse('{"__proto__":{"x":1},"b":[1,2]}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });

  it('refuses forms it does not make, naming what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ $records: { n: 2, keys: ['a'], cols: [[1]] } }, /wrong length/],
      [{ $records: { n: 1, keys: ['a', 'b'], cols: [[1]] } }, /records columns/],
      [{ $records: { n: -1, keys: [], cols: [] } }, /length/],
      [{ $records: { n: 1, keys: ['__proto__'], cols: [[1]] } }, /records keys/],
      [{ $records: { n: 1, keys: ['a'], cols: [[1]], nulls: [3] } }, /out of range/],
      [{ $records: 'rows' }, /description/],
      [{ $words: { words: ['a'], at: [0, 1] } }, /out of range/],
      [{ $words: { words: [1], at: [0] } }, /words/],
      [[{ x: { $words: { words: ['a'] } } }], /word indexes/],
      [{ $steps: [1, 0.5] }, /not an integer/],
      [{ $steps: 'x' }, /steps/],
      [{ $steps: [Number.MAX_SAFE_INTEGER, 1] }, /beyond a safe integer/],
    ];
    for (const [form, message] of cases) expect(() => unpackValue(form), JSON.stringify(form)).toThrow(message);
  });
});
