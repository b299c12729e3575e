import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './lines';

function split(chunks: string[]): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((l) => lines.push(l));
  for (const c of chunks) splitter.write(c);
  splitter.end();
  return lines;
}

describe('createLineSplitter', () => {
  it('gives the same lines however a pipe or SSH channel cuts the text', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[^\r\n]*$/), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const text = lines.map((l) => `${l}\r\n`).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, text.length].slice(1).map((end, i, all) => text.slice(i === 0 ? 0 : all[i - 1], end));
        expect(split(chunks)).toEqual(lines);
      }),
    );
  });

  it('delivers an unfinished last line at the end, and nothing for empty input', () => {
    expect(split(['PING 127.0.0.1', ' (127.0.0.1)\n64 bytes', ' from'])).toEqual(['PING 127.0.0.1 (127.0.0.1)', '64 bytes from']);
    expect(split([])).toEqual([]);
    expect(split(['\n'])).toEqual(['']);
  });
});
