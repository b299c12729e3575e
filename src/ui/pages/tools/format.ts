// Latency with the precision the value deserves: 0.045 ms on loopback, 42.3 ms across a
// continent, 180 ms across the world; a dash when there is no figure.

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value === 0 || value === 100 ? `${value}%` : `${value.toFixed(1)}%`;
}

export const TOOL_LABEL = { ping: 'Ping', mtr: 'MTR', sip: 'SIP message' } as const;
