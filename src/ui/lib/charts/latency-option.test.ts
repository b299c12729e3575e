// The round-trip chart's option: what it draws for a sparse long range, where loss goes, and
// what the axis and tooltip say about the time zone.
import { describe, expect, it } from 'vitest';
import type { Series, SeriesPoint } from '../../../contract/monitoring-methods';
import { zoneLabel } from '../format';
import { latencyOption } from './latency-option';
import { FEW_POINTS, markedLine, TIME_LABELS } from './time-axis';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);
const CHROME = { text: '#fff', muted: '#aaa', grid: '#333', border: '#444', surface: '#111' };

const point = (t: number, medianMs: number | null, lost = 0): SeriesPoint => ({
  t,
  count: 10,
  lost,
  lossPct: lost * 10,
  flagged: 0,
  minMs: medianMs,
  maxMs: medianMs,
  medianMs,
  meanMs: medianMs,
  code: null,
  hist: [],
});

function series(points: Series['points'], stepMs = HOUR): Series {
  return { source: 'hour', stepMs, from: T0 - 7 * 24 * HOUR, to: T0, points };
}

type AnySeries = { name?: string; type: string; data: unknown[]; xAxisIndex?: number; yAxisIndex?: number };
const seriesOf = (option: object) => (option as { series: AnySeries[] }).series;
const medianLine = (option: object, name: string) => seriesOf(option).find((s) => s.name === name) as AnySeries;
const hasMarker = (d: unknown) =>
  typeof d === 'object' && d !== null && !Array.isArray(d) && (d as { symbol?: string }).symbol === 'circle';

describe('latency chart option', () => {
  it('draws one hour point of SIP and one of ICMP as visible markers (7 d on a new install)', () => {
    const option = latencyOption(series({ 'sip-udp': [point(T0 - HOUR, 4)], icmp: [point(T0 - HOUR, 1)] }), 'line', CHROME);
    for (const name of ['SIP', 'ICMP']) {
      const data = medianLine(option, name).data;
      expect(data).toHaveLength(1);
      expect(hasMarker(data[0]), name).toBe(true);
    }
  });

  it('keeps a dense series a plain line, with markers only on points no line reaches', () => {
    const points = Array.from({ length: FEW_POINTS * 3 }, (_, i) => point(T0 - (200 - i) * HOUR, i === 40 || i === 42 ? null : 5));
    const data = medianLine(latencyOption(series({ 'sip-udp': points }), 'line', CHROME), 'SIP').data;
    const marked = data.flatMap((d, i) => (hasMarker(d) ? [i] : []));
    // Point 41 sits between two lost steps: a line cannot reach it.
    expect(marked).toEqual([41]);
  });

  it('marks every point of a sparse series and none that was lost', () => {
    const line = markedLine([
      { t: 1, v: 3 },
      { t: 2, v: null },
      { t: 3, v: 4 },
    ]);
    expect(line[1]).toEqual([2, null]);
    expect(hasMarker(line[0]) && hasMarker(line[2])).toBe(true);
  });

  it('puts loss in its own strip, apart from the plot and its time labels', () => {
    const option = latencyOption(series({ 'sip-udp': [point(T0 - 2 * HOUR, 4), point(T0 - HOUR, null, 10)] }), 'line', CHROME) as {
      grid: { bottom: number; height?: number }[];
      xAxis: { gridIndex: number; axisLabel: { show?: boolean } }[];
    };
    const loss = seriesOf(option).find((s) => s.name === 'Loss') as AnySeries;
    expect(loss.data).toHaveLength(1);
    expect(loss.xAxisIndex).toBe(1);
    expect(loss.yAxisIndex).toBe(1);
    const [plot, strip] = option.grid;
    // The strip lies wholly below the plot, and only the strip's axis prints the times.
    expect((strip?.bottom ?? 0) + (strip?.height ?? 0)).toBeLessThanOrEqual(plot?.bottom ?? 0);
    expect(option.xAxis[0]?.axisLabel.show).toBe(false);
    expect(option.xAxis[1]?.axisLabel.show).not.toBe(false);
  });

  it('names the zone under the time axis and in the tooltip, and labels a day change with the date', () => {
    const option = latencyOption(series({ 'sip-udp': [point(T0 - HOUR, 4)] }), 'line', CHROME) as {
      xAxis: { name?: string; axisLabel: { formatter?: unknown } }[];
      tooltip: { formatter: (p: unknown) => string };
    };
    expect(option.xAxis[1]?.name).toContain(zoneLabel(T0));
    expect(option.xAxis[1]?.axisLabel.formatter).toBe(TIME_LABELS);
    expect(TIME_LABELS.day).toBe('{MMM} {d}');
    const html = option.tooltip.formatter([{ value: [T0 - HOUR, 4] }]);
    expect(html).toContain(zoneLabel(T0 - HOUR));
    expect(html).toContain('median 4');
  });
});

describe('gaps', () => {
  it('breaks the line where no probe ran instead of joining the points across the gap', () => {
    const points = [point(T0 - 72 * HOUR, 4), point(T0 - 71 * HOUR, 5), point(T0 - HOUR, 6)];
    const data = medianLine(latencyOption(series({ 'sip-udp': points }), 'line', CHROME), 'SIP').data;
    const values = data.map((d) => (Array.isArray(d) ? d : (d as { value: [number, number | null] }).value));
    expect(values.map(([t]) => t)).toEqual([T0 - 72 * HOUR, T0 - 71 * HOUR, T0 - 70 * HOUR, T0 - HOUR]);
    expect(values[2]?.[1]).toBeNull();
    // The tooltip over the gap says so.
    const option = latencyOption(series({ 'sip-udp': points }), 'line', CHROME) as { tooltip: { formatter: (p: unknown) => string } };
    expect(option.tooltip.formatter([{ value: [T0 - 70 * HOUR, null] }])).toContain('SIP: no probe');
  });
});
