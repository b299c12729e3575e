import { describe, expect, it } from 'vitest';
import { everyFacetCount, facetCounts, passesFilters, type Filters } from './facet-counts';

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

describe('everyFacetCount', () => {
  const keys: Key[] = ['type', 'zone', 'status'];
  const cases: [string, Filters<Key>, ((r: Row) => boolean) | undefined][] = [
    ['nothing on', none(), undefined],
    ['one group on', { ...none(), zone: new Set(['eu']) }, undefined],
    [
      'two groups on, with a search',
      { ...none(), type: new Set(['switch']), status: new Set(['online', 'down']) },
      (r) => r.alias.includes('sw'),
    ],
    ['every group on, nothing left', { type: new Set(['dispatcher']), zone: new Set(['eu']), status: new Set(['down']) }, undefined],
  ];

  it.each(cases)('gives each group what facetCounts gives it (%s)', (_name, filters, base) => {
    const all = everyFacetCount(rows, filters, valueOf, base);
    for (const key of keys) expect(obj(all[key])).toEqual(obj(facetCounts(rows, key, filters, valueOf, base)));
  });

  it('reads each value of each row once', () => {
    let reads = 0;
    everyFacetCount(rows, { ...none(), zone: new Set(['us']) }, (r, k) => (reads++, valueOf(r, k)));
    expect(reads).toBe(rows.length * keys.length);
  });
});
