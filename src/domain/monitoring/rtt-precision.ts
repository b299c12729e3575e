// The precision the history keeps round trips to: the precision formatMs shows them at.
//
// formatMs writes 0.052 (µs below 1 ms), 1.84 (10 µs up to 10 ms), 23.4 (100 µs up to 100 ms)
// and 120 (whole ms above). A stored round trip is rounded to that grid, so every value the
// console, the CLI table or a chart tooltip prints from it reads the same as before: below 1 ms
// nothing changes at all (loopback keeps its µs), and above the error is at most half a shown
// digit (0.5 % at worst, just past 1, 10 or 100 ms; 0.05 % just below them). The test proves
// the same text for every whole µs up to 2 s and for random values up to an hour.
//
// Why this and not a binary float (1/2^m of the value): a binary grid coarser than 1 µs cannot
// line up with decimal digits, so some value beside every shown digit's edge rounds across it
// and reads differently, unless it keeps whole µs; a grid made of the shown digits never does,
// and is as coarse as the text allows (about 900 steps a decade, as an 8-bit mantissa gives).
//
// Exports that write µs (CSV and JSON series, `monitor --csv/--json`) show the rounded value:
// 23.4 where the sample was 23.417. Live figures (the fleet table, alerts, Prometheus' histogram)
// come from the probes themselves, not from history, and are never rounded.
//
// For storage the grid is numbered by a monotone index (rttIndex): neighbouring values differ by
// a few steps, not by a few hundred µs, which is what makes the packed history smaller.
import { formatMs } from './format-ms';

/** Where formatMs' precision changes (µs) and its step (µs) from there up. */
const DECADES = [
  { from: 0, step: 1 },
  { from: 1_000, step: 10 },
  { from: 10_000, step: 100 },
  { from: 100_000, step: 1_000 },
] as const;

/**
 * Index layout: below 1 ms every µs; in each decade after, its multiples of the step, then the
 * step − 1 values just below the next decade that formatMs prints with a digit too many ("10.00"
 * for 9.996 ms, "100.0" for 99.95 ms), which stay exact because their text has no value on the
 * grid. From 100 ms on, whole ms to any height.
 */
const BASE = DECADES.map((_, d) => {
  let base = 0;
  for (let e = 1; e <= d; e += 1) {
    const prev = DECADES[e - 1] as (typeof DECADES)[number];
    base += ((DECADES[e] as (typeof DECADES)[number]).from - prev.from) / prev.step + (prev.step - 1);
  }
  return base;
});

function decadeOf(us: number): number {
  if (us < 1_000) return 0;
  if (us < 10_000) return 1;
  if (us < 100_000) return 2;
  return 3;
}

/**
 * A round trip in whole µs (≥ 0) rounded to what formatMs shows of it: the same text, and the
 * value that text reads as. Exact below 1 ms.
 */
export function roundRttUs(us: number): number {
  const d = decadeOf(us);
  if (d === 0) return us;
  const { step } = DECADES[d] as (typeof DECADES)[number];
  const rest = us % step;
  const near = us - rest + (rest * 2 >= step ? step : 0);
  // Off a tie and inside the decade, toFixed rounds to the nearest digit as `near` does; a tie
  // (where the float's binary error decides) and the decade's top are settled by formatMs itself.
  const top = d < 3 ? (DECADES[d + 1] as (typeof DECADES)[number]).from : Infinity;
  if (rest * 2 !== step && near < top) return near;
  const text = formatMs(us / 1000);
  for (const candidate of [near, near - step, near + step]) if (formatMs(candidate / 1000) === text) return candidate;
  return us;
}

/** The monotone index of a value on the grid (roundRttUs' results); throws for one off it. */
export function rttIndex(us: number): number {
  const d = decadeOf(us);
  if (d === 0) {
    if (!Number.isInteger(us) || us < 0) throw new RangeError(`not a round trip in µs: ${us}`);
    return us;
  }
  const { from, step } = DECADES[d] as (typeof DECADES)[number];
  const offset = us - from;
  if (offset % step === 0) return (BASE[d] as number) + offset / step;
  const top = d < 3 ? (DECADES[d + 1] as (typeof DECADES)[number]).from : Infinity;
  if (Number.isInteger(us) && us > top - step) return (BASE[d] as number) + (top - from) / step + (us - (top - step)) - 1;
  throw new RangeError(`${us} µs is not on the stored round-trip grid`);
}

/** The value of an index rttIndex gave. */
export function rttOfIndex(index: number): number {
  let d = DECADES.length - 1;
  while (d > 0 && index < (BASE[d] as number)) d -= 1;
  const { from, step } = DECADES[d] as (typeof DECADES)[number];
  const offset = index - (BASE[d] as number);
  if (d === 0 || d === DECADES.length - 1) return from + offset * step;
  const top = (DECADES[d + 1] as (typeof DECADES)[number]).from;
  const multiples = (top - from) / step;
  return offset < multiples ? from + offset * step : top - step + (offset - multiples) + 1;
}
