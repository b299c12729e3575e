/**
 * A round trip in milliseconds with the precision it deserves: 0.052 on loopback, 1.84 on a
 * LAN, 23.4 in a region, 120 across an ocean. Significant figures, not fixed decimals, so a
 * column of mixed values stays readable.
 */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 1) return ms.toFixed(3);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 100) return ms.toFixed(1);
  return Math.round(ms).toString();
}
