import { describe, expect, it } from 'vitest';
import {
  codeColumn,
  codedFilter,
  everyFacetCount,
  everyFacetCountCoded,
  facetCounts,
  passesFilters,
  type CodedColumn,
  type Filters,
} from './facet-counts';

type Key = 'type' | 'zone' | 'status';
interface Row {
  type: string;
  zone: string;
  status: string;
  alias: string;
}
const rows: Row[] = [
  { type: 'dispatcher', zone: 'us', status: 'online', alias: 'us-lb1' },
  { type: 'switch', zone: 'us', status: 'online', alias: 'us-sw1' },
  { type: 'switch', zone: 'us', status: 'down', alias: 'us-sw2' },
  { type: 'switch', zone: 'eu', status: 'degraded', alias: 'eu-sw1' },
  { type: 'dispatcher', zone: 'eu', status: 'online', alias: 'eu-lb1' },
];
const valueOf = (r: Row, k: Key) => r[k];
const none = (): Filters<Key> => ({ type: new Set(), zone: new Set(), status: new Set() });
const obj = (m: Map<string, number>) => Object.fromEntries(m);

describe('facetCounts', () => {
  it('counts the whole list when nothing is filtered', () => {
    expect(obj(facetCounts(rows, 'status', none(), valueOf))).toEqual({ online: 3, down: 1, degraded: 1 });
  });

  it('follows the other groups: status counts within the chosen zone', () => {
    const filters = { ...none(), zone: new Set(['eu']) };
    expect(obj(facetCounts(rows, 'status', filters, valueOf))).toEqual({ online: 1, down: 0, degraded: 1 });
    // The zone group ignores its own selection: each zone chip says what it would add.
    expect(obj(facetCounts(rows, 'zone', filters, valueOf))).toEqual({ us: 3, eu: 2 });
  });

  it('combines several other groups and the search', () => {
    const filters = { ...none(), type: new Set(['switch']), status: new Set(['online', 'down']) };
    expect(obj(facetCounts(rows, 'zone', filters, valueOf))).toEqual({ us: 2, eu: 0 });
    expect(obj(facetCounts(rows, 'zone', filters, valueOf, (r) => r.alias.includes('sw2')))).toEqual({ us: 1, eu: 0 });
  });

  it('keeps a chip that is on even when nothing else matches it, at 0', () => {
    const filters = { ...none(), status: new Set(['down']), zone: new Set(['eu']) };
    const status = facetCounts(rows, 'status', filters, valueOf);
    expect(status.get('down')).toBe(0);
    expect([...status.keys()].sort()).toEqual(['degraded', 'down', 'online']);
  });

  it('agrees with the rows the table shows: a chip count equals the rows shown with it on', () => {
    const filters = { ...none(), type: new Set(['switch']) };
    for (const [zone, n] of facetCounts(rows, 'zone', filters, valueOf)) {
      const on = { ...filters, zone: new Set([zone]) };
      expect(rows.filter((r) => passesFilters(r, on, valueOf)).length).toBe(n);
    }
  });
});

const KEYS: Key[] = ['type', 'zone', 'status'];
type FilterCase = [string, Filters<Key>, ((r: Row) => boolean) | undefined];
/** Filter states both counting paths are checked against. */
const FILTER_CASES: FilterCase[] = [
  ['nothing on', none(), undefined],
  ['one group on', { ...none(), zone: new Set(['eu']) }, undefined],
  [
    'two groups on, with a search',
    { ...none(), type: new Set(['switch']), status: new Set(['online', 'down']) },
    (r) => r.alias.includes('sw'),
  ],
  ['every group on, nothing left', { type: new Set(['dispatcher']), zone: new Set(['eu']), status: new Set(['down']) }, undefined],
];

describe('everyFacetCount', () => {
  it.each(FILTER_CASES)('gives each group what facetCounts gives it (%s)', (_name, filters, base) => {
    const all = everyFacetCount(rows, filters, valueOf, base);
    for (const key of KEYS) expect(obj(all[key])).toEqual(obj(facetCounts(rows, key, filters, valueOf, base)));
  });

  it('reads each value of each row once', () => {
    let reads = 0;
    everyFacetCount(rows, { ...none(), zone: new Set(['us']) }, (r, k) => (reads++, valueOf(r, k)));
    expect(reads).toBe(rows.length * KEYS.length);
  });
});

describe('coded columns', () => {
  const columnsOf = (list: readonly Row[]) =>
    Object.fromEntries(KEYS.map((k) => [k, codeColumn(list.map((r) => r[k]))])) as Record<Key, CodedColumn>;
  const maskOf = (list: readonly Row[], base: ((r: Row) => boolean) | undefined) =>
    base ? Uint8Array.from(list, (r) => (base(r) ? 1 : 0)) : null;

  it('numbers values in the order the rows first show them', () => {
    expect(codeColumn(['b', 'a', 'b', 'c', 'a'])).toEqual({ codes: Uint32Array.from([0, 1, 0, 2, 1]), values: ['b', 'a', 'c'] });
    expect(codeColumn([])).toEqual({ codes: new Uint32Array(0), values: [] });
  });

  const cases: FilterCase[] = [
    ...FILTER_CASES,
    ['a chip on for a value no row has', { ...none(), zone: new Set(['ap']) }, undefined],
    ['a search matching nothing', none(), () => false],
  ];

  it.each(cases)('count as everyFacetCount does, values in the same order (%s)', (_name, filters, base) => {
    const coded = everyFacetCountCoded(columnsOf(rows), filters, maskOf(rows, base));
    const plain = everyFacetCount(rows, filters, valueOf, base);
    for (const key of KEYS) expect([...coded[key]]).toEqual([...plain[key]]);
  });

  it.each(cases)('filter rows as passesFilters does (%s)', (_name, filters) => {
    const passes = codedFilter(columnsOf(rows), filters);
    expect(rows.map((_r, i) => passes(i))).toEqual(rows.map((r) => passesFilters(r, filters, valueOf)));
  });

  it('agree with the plain functions on a larger generated list', () => {
    const zones = ['us', 'eu', 'uk', 'ap'];
    const statuses = ['online', 'down', 'degraded', 'unknown', 'stopped'];
    const many: Row[] = Array.from({ length: 997 }, (_, i) => ({
      type: i % 10 === 0 ? 'dispatcher' : 'switch',
      zone: zones[(i * 7) % zones.length] as string,
      status: statuses[(i * 13) % statuses.length] as string,
      alias: `${zones[i % zones.length]}-sw${i}`,
    }));
    const filters: Filters<Key> = { type: new Set(['switch']), zone: new Set(['eu', 'ap']), status: new Set(['down']) };
    const base = (r: Row) => r.alias.includes('1');
    const coded = everyFacetCountCoded(columnsOf(many), filters, maskOf(many, base));
    const plain = everyFacetCount(many, filters, valueOf, base);
    for (const key of KEYS) expect([...coded[key]]).toEqual([...plain[key]]);
    const passes = codedFilter(columnsOf(many), filters);
    expect(many.filter((_r, i) => passes(i))).toEqual(many.filter((r) => passesFilters(r, filters, valueOf)));
  });
});
