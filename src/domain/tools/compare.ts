// Which of two runs to the same target adds less latency: the reference's advice for choosing a
// media server is to take the one that adds the least latency to the call. Loss weighs first (a
// path that drops packets hurts a call more than a few milliseconds), then the average round trip.

export interface RunFigures {
  /** 'eu-sw1 (192.0.2.10)', 'this workstation', 'pasted'. */
  label: string;
  lossPct: number | null;
  avgMs: number | null;
}

export interface Comparison {
  /** Index of the run that adds less, or null when they are level or cannot be compared. */
  better: 0 | 1 | null;
  /** One sentence saying so, for the compare view. */
  verdict: string;
  /** Average difference in ms (b minus a), when both have one. */
  deltaMs: number | null;
}

/** Differences below this are noise on any real path (and below the tools' own precision). */
const LEVEL_MS = 0.5;
const LEVEL_LOSS_PCT = 1;

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function compareRuns(a: RunFigures, b: RunFigures): Comparison {
  const delta = a.avgMs !== null && b.avgMs !== null ? b.avgMs - a.avgMs : null;
  if (a.avgMs === null && b.avgMs === null) {
    return { better: null, verdict: 'Neither run got an answer, so neither can be recommended.', deltaMs: null };
  }
  if (a.avgMs === null || b.avgMs === null) {
    const [good, none] = a.avgMs === null ? [b, a] : [a, b];
    return {
      better: a.avgMs === null ? 1 : 0,
      verdict: `${good.label} got answers and ${none.label} none: run from ${good.label}.`,
      deltaMs: null,
    };
  }
  const lossA = a.lossPct ?? 0;
  const lossB = b.lossPct ?? 0;
  if (Math.abs(lossA - lossB) >= LEVEL_LOSS_PCT) {
    const better = lossA < lossB ? 0 : 1;
    const [good, bad] = better === 0 ? [a, b] : [b, a];
    return {
      better,
      verdict: `${good.label} adds less: ${ms(good.avgMs ?? 0)} ms with ${(good.lossPct ?? 0).toFixed(0)}% loss, against ${ms(bad.avgMs ?? 0)} ms with ${(bad.lossPct ?? 0).toFixed(0)}% loss from ${bad.label}.`,
      deltaMs: delta,
    };
  }
  if (delta === null || Math.abs(delta) < LEVEL_MS) {
    return {
      better: null,
      verdict: `Level: ${a.label} and ${b.label} add about the same latency (${ms(a.avgMs)} ms and ${ms(b.avgMs)} ms).`,
      deltaMs: delta,
    };
  }
  const better = delta > 0 ? 0 : 1;
  const [good, bad] = better === 0 ? [a, b] : [b, a];
  return {
    better,
    verdict: `${good.label} adds less latency: ${ms(good.avgMs ?? 0)} ms on average, ${ms(Math.abs(delta))} ms less than ${bad.label}.`,
    deltaMs: delta,
  };
}
