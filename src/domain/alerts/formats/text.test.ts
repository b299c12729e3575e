import { describe, expect, it } from 'vitest';
import { clip, oneLine } from './text';

describe('format text helpers', () => {
  it('puts text on one line', () => {
    expect(oneLine('a\r\nb\tc\u2028d\u0000e   f ')).toBe('a b c d e f');
  });

  it('cuts with an ellipsis and never splits a surrogate pair', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    const cut = clip('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});
