// Durations as people type them on a command line or in a form: "90s", "30m", "1h", "2d",
// "1w", "1h30m". Parsed strictly: a typo is refused, never read as something else.

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The longest silence or wait anyone means: a year. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Milliseconds, or null when the text is not a duration (or is zero, or longer than a year). */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (!/^(?:\d{1,6}[smhdw])+$/.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)([smhdw])/g)) total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  return total > 0 && total <= MAX_DURATION_MS ? total : null;
}

/** "1h 30m", "2d 4h", "45s": the two largest units, for tables and messages. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1_000) return `${Math.max(0, Math.round(ms / 1000))}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
