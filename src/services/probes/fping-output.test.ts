import { describe, expect, it } from 'vitest';
import { drainEveryMs, LineSplitter } from './fping-output';

describe('LineSplitter', () => {
  it('gives whole lines only, joining a line cut between reads', () => {
    const lines: string[] = [];
    const split = new LineSplitter();
    split.push('127.0.0.1 : [0], 64 by', (l) => lines.push(l));
    expect(lines).toEqual([]);
    split.push('tes, 0.04 ms\n127.0.0.2 : [0], timed out\n\n127.0.0', (l) => lines.push(l));
    expect(lines).toEqual(['127.0.0.1 : [0], 64 bytes, 0.04 ms', '127.0.0.2 : [0], timed out']);
    split.push('.3 : [1]\n', (l) => lines.push(l));
    expect(lines.at(-1)).toBe('127.0.0.3 : [1]');
  });
});

describe('drainEveryMs', () => {
  it('batches about 16 KiB of output per drain, within 20 to 250 ms', () => {
    expect(drainEveryMs(1_000)).toBe(205);
    expect(drainEveryMs(10)).toBe(250);
    expect(drainEveryMs(0)).toBe(250);
    expect(drainEveryMs(20_000)).toBe(20);
  });
});
