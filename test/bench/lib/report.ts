// What every benchmark hands back to scripts/bench.js: rows of the README table, printed as one
// tagged JSON line on stdout (progress and details go to stderr, for a person watching).
export interface BenchRow {
  benchmark: string;
  /** What the row measures, with its unit. */
  measure: string;
  ours: string;
  /** The peer measured in the same run, or '—' when the goal is absolute. */
  peer: string;
  /** ours / peer (or the figure the goal is stated in), as printed. */
  ratio: string;
  goal: string;
  /** null when the row has no goal of its own (a reference figure). */
  met: boolean | null;
}

export const RESULT_TAG = 'BENCH-RESULT ';

export function emit(rows: readonly BenchRow[]): void {
  process.stdout.write(`${RESULT_TAG}${JSON.stringify(rows)}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Nearest-rank percentile (q in 0..1) of unsorted values; NaN when there are none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** `--name value` from argv, or undefined. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
