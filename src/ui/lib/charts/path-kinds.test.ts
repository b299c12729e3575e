import { describe, expect, it } from 'vitest';
import type { Series, SeriesPoint } from '../../../contract/monitoring-methods';
import { latencyOption } from './latency-option';
import { measuredKinds } from './path-kinds';

const CHROME = { text: '#eee', muted: '#999', grid: '#333', border: '#444', surface: '#111' };
const point = (t: number, ms: number | null): SeriesPoint => ({
  t,
  count: 1,
  lost: ms === null ? 1 : 0,
  lossPct: ms === null ? 100 : 0,
  flagged: 0,
  minMs: ms,
  maxMs: ms,
  medianMs: ms,
  meanMs: ms,
  code: ms === null ? null : 200,
  hist: [],
});
const series = (points: Series['points']): Series => ({ source: 'raw', stepMs: 1_000, from: 0, to: 10_000, points });
type Legend = { legend: { data: string[] }; series: { name?: string }[]; tooltip: { formatter: (p: unknown) => string } };
const legendOf = (s: Series, source: string) =>
  (latencyOption(s, 'smoke', CHROME, measuredKinds(s, source)) as unknown as Legend).legend.data;

describe('the latency chart per path', () => {
  const icmpOnly = series({ 'sip-udp': [], icmp: [point(1_000, 0.05), point(2_000, null)] });
  const both = series({ 'sip-udp': [point(1_000, 0.3)], icmp: [point(1_000, 0.05)] });

  it('an ICMP-only vantage path lists no SIP: not in the legend, the series or the tooltip', () => {
    expect(legendOf(icmpOnly, 'srv-lb1')).toEqual(['ICMP', 'Loss']);
    const option = latencyOption(icmpOnly, 'smoke', CHROME, measuredKinds(icmpOnly, 'srv-lb1')) as unknown as Legend;
    expect(option.series.some((s) => s.name?.startsWith('SIP'))).toBe(false);
    expect(option.tooltip.formatter([{ value: [1_000, 0.05] }])).not.toContain('SIP');
  });

  it('a vantage path with SIP samples lists both, in both views', () => {
    expect(legendOf(both, 'srv-lb1')).toEqual(['SIP', 'ICMP', 'Loss']);
    expect((latencyOption(both, 'line', CHROME, measuredKinds(both, 'srv-lb1')) as unknown as Legend).legend.data).toEqual([
      'SIP',
      'ICMP',
      'Loss',
    ]);
  });

  it("this workstation's path always names both: a missing SIP series there is a gap, not a path without SIP", () => {
    expect(legendOf(icmpOnly, 'local')).toEqual(['SIP', 'ICMP', 'Loss']);
    expect(measuredKinds(null, 'local')).toEqual(['sip-udp', 'icmp']);
    expect(measuredKinds(null, 'srv-lb1')).toEqual(['icmp']);
  });
});
