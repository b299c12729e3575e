// The chunk codec gives back exactly the samples it was given (round trips in whole µs, as
// probe_raw stores them), packs a realistic 5 s series under 2 bytes a sample, and refuses input
// it cannot represent instead of storing something else.
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk, type ChunkSample } from './sample-chunk-codec';

const START = Date.UTC(2026, 0, 1, 12);

/** A deterministic generator, so a failure replays. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function series(n: number, seed: number, baseUs: number, jitterUs: number): ChunkSample[] {
  const r = rng(seed);
  const out: ChunkSample[] = [];
  for (let i = 0; i < n; i += 1) {
    const at = START + i * 5_000 + Math.floor(r() * r() * 4);
    const roll = r();
    if (roll < 0.005) out.push({ at, rttUs: null, code: null });
    else out.push({ at, rttUs: Math.round(baseUs + (r() + r() + r() - 1.5) * jitterUs), code: roll < 0.015 ? 503 : 200 });
  }
  return out;
}

const roundTrip = (samples: ChunkSample[]) => {
  const cols = decodeChunk(START, encodeChunk(START, samples));
  return cols.at.map((at, i) => ({ at, rttUs: cols.rttUs[i], code: cols.code[i] }));
};

describe('sample chunk codec', () => {
  it('returns every sample as it was: times, µs round trips, losses and codes', () => {
    const samples = series(180, 7, 20_000, 800);
    expect(roundTrip(samples)).toEqual(samples);
  });

  it('keeps the odd cases: losses that carry a code, answers without one, a lone sample, gaps and restarts', () => {
    const odd: ChunkSample[] = [
      { at: START + 3, rttUs: 0, code: null },
      { at: START + 5_003, rttUs: 12, code: 200 },
      { at: START + 10_003, rttUs: null, code: 408 },
      { at: START + 15_004, rttUs: 2 ** 33, code: 699 },
      { at: START + 600_000, rttUs: 5, code: 200 },
      { at: START + 600_001, rttUs: 6, code: 100 },
      { at: START + 899_999, rttUs: null, code: null },
    ];
    expect(roundTrip(odd)).toEqual(odd);
    expect(roundTrip([{ at: START, rttUs: 1, code: 200 }])).toEqual([{ at: START, rttUs: 1, code: 200 }]);
  });

  it('packs 15 minutes of a jittered 5 s series in under 2 bytes a sample', () => {
    for (const [base, jitter] of [
      [300, 40],
      [20_000, 800],
    ] as const) {
      const samples = series(180, base, base, jitter);
      expect(encodeChunk(START, samples).length / samples.length).toBeLessThan(2);
    }
  });

  it('refuses what it cannot store faithfully, naming the problem', () => {
    expect(() => encodeChunk(START, [])).toThrow(/at least one sample/);
    expect(() => encodeChunk(START, [{ at: START - 1, rttUs: 1, code: null }])).toThrow(/before its chunk/);
    const twice = { at: START + 5, rttUs: 1, code: null };
    expect(() => encodeChunk(START, [twice, twice])).toThrow(/strictly increasing/);
    expect(() => encodeChunk(START, [{ at: START, rttUs: 1.5, code: null }])).toThrow(/µs/);
  });

  it('throws on a damaged blob instead of inventing samples', () => {
    const blob = encodeChunk(START, series(50, 3, 1_000, 100));
    expect(() => decodeChunk(START, blob.subarray(0, 6))).toThrow(/cut short|out of range/);
    expect(() => decodeChunk(START, Uint8Array.of(9, 1))).toThrow(/unknown sample chunk format/);
  });
});
