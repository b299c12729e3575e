// The chunk codec gives back the samples it was given (times and codes exactly, round trips to
// the shown precision of rtt-precision.ts, exactly below 1 ms), packs a realistic 5 s series
// under 2 bytes a sample, refuses input it cannot represent instead of storing something else,
// and still reads chunks of formats 1 (whole µs) and 2 (before one-sided times and short escapes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundRttUs } from '../../domain/monitoring/rtt-precision';
import { decodeChunk, encodeChunk, type ChunkFormat, type ChunkSample } from './sample-chunk-codec';

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

const roundTrip = (samples: ChunkSample[], format?: ChunkFormat) => {
  const cols = decodeChunk(START, encodeChunk(START, samples, format));
  return cols.at.map((at, i) => ({ at, rttUs: cols.rttUs[i], code: cols.code[i] }));
};

/** The samples as formats 2 and 3 keep them: round trips on the shown grid. */
const shown = (samples: ChunkSample[]) => samples.map((s) => ({ ...s, rttUs: s.rttUs === null ? null : roundRttUs(s.rttUs) }));

describe('sample chunk codec', () => {
  it('returns every sample: times, losses and codes as they were, round trips to the shown precision', () => {
    const samples = series(180, 7, 20_000, 800);
    expect(roundTrip(samples)).toEqual(shown(samples));
    expect(roundTrip(samples, 2)).toEqual(shown(samples));
    expect(roundTrip(samples, 1)).toEqual(samples);
    expect(roundTrip(samples).some((s, i) => s.rttUs !== samples[i]?.rttUs)).toBe(true);
  });

  it('returns any timestamps and round trips it is given, in every format', () => {
    // Times early and late against the grid, restarts, a shorter interval, spikes up to three days
    // (formats 1 and 2 hold differences below 2^40 µs): whichever way the encoder picks for each
    // stream, the decoder reads it back.
    const sample = fc.record({
      gap: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 4_990, max: 5_010 }), fc.integer({ min: 1, max: 2_000_000 })),
      rttUs: fc.option(fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 2 ** 38 })), { freq: 8 }),
      code: fc.option(fc.constantFrom(200, 503, 408, 100, 699), { freq: 6 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 900_000 }), fc.array(sample, { minLength: 1, maxLength: 200 }), (offset, draws) => {
        let at = START + offset;
        const samples = draws.map((d, i) => ({ at: (at += i === 0 ? 0 : d.gap), rttUs: d.rttUs, code: d.code }));
        expect(roundTrip(samples)).toEqual(shown(samples));
        expect(roundTrip(samples, 2)).toEqual(shown(samples));
        expect(roundTrip(samples, 1)).toEqual(samples);
      }),
      { numRuns: 400 },
    );
  });

  it('stores lateness one-sided and spikes short: smaller than format 2 on a late-stamped, spiking series', () => {
    // The first sample 2 ms late, the others 0–3 ms: two-sided against the first, one-sided against the least.
    const samples = series(180, 5, 20_000, 800).map((s, i) => ({
      ...s,
      at: START + i * 5_000 + (i === 0 ? 2 : i % 4),
      rttUs: s.rttUs === null ? null : i % 60 === 30 ? s.rttUs * 4 : s.rttUs,
    }));
    const now = encodeChunk(START, samples).length;
    const before = encodeChunk(START, samples, 2).length;
    expect(roundTrip(samples)).toEqual(shown(samples));
    expect(now).toBeLessThan(before - 10);
  });

  it('keeps round trips within half a shown digit, and below 1 ms to the µs', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20_000_000 }), { freq: 10 }), { minLength: 1, maxLength: 200 }), (rtts) => {
        const samples = rtts.map((rttUs, i) => ({ at: START + i * 5_000, rttUs, code: rttUs === null ? null : 200 }));
        const back = roundTrip(samples);
        back.forEach((s, i) => {
          const want = rtts[i] as number | null;
          if (want === null || want < 1_000) expect(s.rttUs).toBe(want);
          else expect(Math.abs((s.rttUs as number) - want)).toBeLessThanOrEqual(want < 10_000 ? 5 : want < 100_000 ? 50 : 500);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('still reads chunks of format 1, written before the rounding, exactly', () => {
    // Written by the encoder of format 1 for series(60, 11, 20_000, 800).
    const blob = Buffer.from(
      'ATwAiCfIAamcAQAAEDPPGGebwPPAN4bGbbPM3jzKn0BDCGcExDcOcYG940v1yBThTUwomc+XUF0txW0OLkTtHSzCH+nfoGUzhS+mjR2t8EAAaJyIMIjrzof8aaCw1lvUv3L+AvO+QlhrtNbB',
      'base64',
    );
    const cols = decodeChunk(START, blob);
    expect(cols.at.map((at, i) => ({ at, rttUs: cols.rttUs[i], code: cols.code[i] }))).toEqual(series(60, 11, 20_000, 800));
  });

  it('still reads chunks of format 2, written before one-sided times and short escapes', () => {
    // Written by the encoder of format 2 for series(60, 11, 20_000, 800) with sample 7 a 95 ms spike.
    const blob = Buffer.from('AjwAiCfIAdkPAAAEM88YZ5vA88A3hsZts8zePJgGT///+AAAAC7krbyFDLtatYN0hPLTpa6AUSODVVM8+N0pUg==', 'base64');
    const want = series(60, 11, 20_000, 800);
    want[7] = { ...(want[7] as ChunkSample), rttUs: 95_000 };
    const cols = decodeChunk(START, blob);
    expect(cols.at.map((at, i) => ({ at, rttUs: cols.rttUs[i], code: cols.code[i] }))).toEqual(shown(want));
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
    expect(roundTrip(odd)).toEqual(shown(odd));
    expect(roundTrip(odd, 2)).toEqual(shown(odd));
    expect(roundTrip(odd, 1)).toEqual(odd);
    expect(roundTrip([{ at: START, rttUs: 1, code: 200 }])).toEqual([{ at: START, rttUs: 1, code: 200 }]);
    // Past what a 40-bit escape holds: format 3's escape carries the value's length.
    const huge = [
      { at: START, rttUs: 2 ** 45 + 123_456, code: 200 },
      { at: START + 5_000, rttUs: 3, code: 200 },
    ];
    expect(roundTrip(huge)).toEqual(shown(huge));
  });

  it('packs 15 minutes of a jittered 5 s series in under 2 bytes a sample', () => {
    for (const [base, jitter] of [
      [300, 40],
      [20_000, 800],
    ] as const) {
      const samples = series(180, base, base, jitter);
      expect(encodeChunk(START, samples).length / samples.length).toBeLessThan(2);
      // On the shown grid a 20 ms path's jitter is a few steps of 100 µs, not hundreds of µs.
      if (base > 1_000) expect(encodeChunk(START, samples).length).toBeLessThan(0.6 * encodeChunk(START, samples, 1).length);
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
    // Every cut of a format 3 chunk is refused or reads fewer bytes than it holds, never a wrong sample past its end.
    for (let cut = 1; cut < blob.length - 1; cut += 1) expect(() => decodeChunk(START, blob.subarray(0, cut))).toThrow();
  });
});
