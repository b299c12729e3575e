import { describe, expect, it } from 'vitest';
import { countOf, countsOf } from './count-words';

describe('count words', () => {
  it('says one and many', () => {
    expect(countOf(1, 'server')).toBe('1 server');
    expect(countOf(4, 'server')).toBe('4 servers');
    expect(countOf(0, 'entry', 'entries')).toBe('0 entries');
  });

  it('lists only what there is', () => {
    expect(
      countsOf([
        [4, 'server'],
        [1, 'RTP server'],
      ]),
    ).toBe('4 servers and 1 RTP server');
    expect(
      countsOf([
        [0, 'server'],
        [2, 'RTP server'],
      ]),
    ).toBe('2 RTP servers');
    expect(
      countsOf([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]),
    ).toBe('1 a, 2 bs and 3 cs');
    expect(countsOf([[0, 'server']])).toBe('nothing');
  });
});
