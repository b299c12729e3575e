import type { MtrHop } from './types';

export function unknownHop(hop: number): MtrHop {
  return { hop, host: null, hosts: [], lossPct: 100, sent: 0, lastMs: null, avgMs: null, bestMs: null, worstMs: null, stddevMs: null };
}

/** Reads a number printed by mtr ("0.0%", "2520.", "12"); anything else is null. */
export function mtrNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const n = Number(value.trim().replace(/%$/, ''));
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** mtr prints `???` for a hop that never answered. */
export function hostOrNull(name: string): string | null {
  const trimmed = name.trim();
  return trimmed === '' || trimmed === '???' ? null : trimmed;
}
