import { describe, expect, it } from 'vitest';
import { searchFleet, type SearchIndex } from './fleet-search';

const indexOf = (servers: readonly { ip: string; alias: string }[]): SearchIndex => ({
  ip: servers.map((s) => s.ip.toLowerCase()),
  alias: servers.map((s) => s.alias.toLowerCase()),
});
const zones = ['us-east', 'eu-west', 'uk-london', 'ap-south'];
const fleet = Array.from({ length: 600 }, (_, i) => ({
  ip: `127.100.${Math.floor(i / 250)}.${(i % 250) + 2}`,
  alias: `${zones[i % zones.length]}-SW${String(i).padStart(5, '0')}`,
}));
const index = indexOf(fleet);
const scan = (q: string) => fleet.flatMap((s, i) => (s.ip.toLowerCase().includes(q) || s.alias.toLowerCase().includes(q) ? [i] : []));

describe('searchFleet', () => {
  it('matches the address or the alias, as lower-cased', () => {
    const result = searchFleet(index, 'eu-west-sw0001', null);
    expect([...result.matches]).toEqual(scan('eu-west-sw0001'));
    expect([...result.matches].map((i) => fleet[i]?.alias)).toEqual(['eu-west-SW00013', 'eu-west-SW00017']);
    expect([...searchFleet(index, '127.100.1.', null).matches]).toEqual(scan('127.100.1.'));
  });

  it('marks exactly the matches in the mask', () => {
    const result = searchFleet(index, 'ap-south', null);
    expect(result.mask.length).toBe(fleet.length);
    expect([...result.mask].flatMap((m, i) => (m === 1 ? [i] : []))).toEqual([...result.matches]);
  });

  it('narrows the search before when typing on, with the same rows as a search from scratch', () => {
    let last = null;
    for (const q of ['s', 'sw', 'sw0', 'sw00', 'sw001', 'sw0012', 'sw00123', 'sw001234']) {
      last = searchFleet(index, q, last);
      expect([...last.matches]).toEqual(scan(q));
    }
    // A query holding the one before anywhere, not only at its end.
    const inner = searchFleet(index, 'eu-west-sw0', searchFleet(index, 'west', null));
    expect([...inner.matches]).toEqual(scan('eu-west-sw0'));
  });

  it('looks at every row again when the query does not hold the one before, or the list changed', () => {
    const before = searchFleet(index, 'us-east', null);
    expect([...searchFleet(index, 'eu-west', before).matches]).toEqual(scan('eu-west'));
    // Deleting a character widens the search.
    expect([...searchFleet(index, 'us-eas', before).matches]).toEqual(scan('us-eas'));
    const other = indexOf([...fleet].reverse());
    const again = searchFleet(other, 'us-east-sw', before);
    expect(again.matches.length).toBe(scan('us-east-sw').length);
    expect([...again.matches]).toEqual(
      scan('us-east-sw')
        .map((i) => fleet.length - 1 - i)
        .sort((a, b) => a - b),
    );
  });

  it('finds nothing without failing', () => {
    const none = searchFleet(index, 'nothing-matches', null);
    expect(none.matches.length).toBe(0);
    expect(searchFleet(index, 'nothing-matches-at-all', none).matches.length).toBe(0);
  });
});
