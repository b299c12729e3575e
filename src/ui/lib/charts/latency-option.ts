// The server page's round-trip chart as an ECharts option, built from the host's series:
// SIP and ICMP on one time axis (their fixed colours), each with its min–max band behind the
// median line, loss as red marks on the axis, and a smoke view (Smokeping-style) drawing each
// step's distribution from its histogram as nested percentile bands. Loss has its own strip
// between the plot and the time labels (its marks never run into them); the time labels and the
// tooltip are local time with the zone named; sparse or lone points are drawn as markers.
import type { Series, SeriesPoint } from '../../../contract/monitoring-methods';
import { percentileOfPairs } from '../../../domain/monitoring/rollup';
import { formatMs } from '../../../domain/monitoring/format-ms';
import type { ProbeKind } from '../../../domain/monitoring/sample';
import { CHART_COLORS } from '../chart-colors';
import type { ChartOption } from './echarts.svelte';
import { axisZoneName, markedLine, TIME_LABELS, tooltipWhen } from './time-axis';

export type ChartView = 'line' | 'smoke';
type Chrome = { text: string; muted: string; grid: string; border: string; surface: string };

const KINDS = [
  { kind: 'sip-udp', name: 'SIP', color: CHART_COLORS.sip },
  { kind: 'icmp', name: 'ICMP', color: CHART_COLORS.icmp },
] as const;

/** Smokeping's shading: the inner bands darker. */
const SMOKE_BANDS: [number, number, number][] = [
  [0.05, 0.95, 0.12],
  [0.15, 0.85, 0.16],
  [0.25, 0.75, 0.22],
  [0.4, 0.6, 0.3],
];

type Pair = [number, number | null];

/** The loss strip's place above the time labels, the zone line and the zoom slider (px). */
const LOSS_BOTTOM = 66;
const LOSS_HEIGHT = 16;

/** A band as two stacked lines: the lower edge (invisible) and the height above it (filled). */
function band(
  name: string,
  points: readonly SeriesPoint[],
  lo: (p: SeriesPoint) => number | null,
  hi: (p: SeriesPoint) => number | null,
  color: string,
  opacity: number,
  stack: string,
) {
  const low: Pair[] = points.map((p) => [p.t, lo(p)]);
  const height: Pair[] = points.map((p) => {
    const a = lo(p);
    const b = hi(p);
    return [p.t, a === null || b === null ? null : Math.max(0, b - a)];
  });
  const common = {
    type: 'line',
    stack,
    symbol: 'none',
    silent: true,
    connectNulls: false,
    lineStyle: { width: 0 },
    animation: false,
    tooltip: { show: false },
  };
  return [
    { ...common, name: `${name} low`, data: low, areaStyle: { opacity: 0 } },
    { ...common, name: `${name} band`, data: height, areaStyle: { color, opacity } },
  ];
}

/**
 * Steps with no probe at all (the workstation was off) as empty points, so lines and bands stop
 * there instead of drawing a straight line across hours of nothing.
 */
export function withGaps(points: readonly SeriesPoint[], stepMs: number): SeriesPoint[] {
  if (stepMs <= 0) return [...points];
  const out: SeriesPoint[] = [];
  points.forEach((p, i) => {
    const before = points[i - 1];
    if (before && p.t - before.t > stepMs) {
      out.push({
        t: before.t + stepMs,
        count: 0,
        lost: 0,
        lossPct: 0,
        flagged: 0,
        minMs: null,
        maxMs: null,
        medianMs: null,
        meanMs: null,
        code: null,
        hist: [],
      });
    }
    out.push(p);
  });
  return out;
}

/**
 * `measured`: the kinds this path measures (see path-kinds.ts); a kind left out has no line, no
 * legend entry and no tooltip row, so an ICMP-only path never shows SIP.
 */
export function latencyOption(
  series: Series | null,
  view: ChartView,
  chrome: Chrome,
  measured: readonly ProbeKind[] = ['sip-udp', 'icmp'],
): ChartOption {
  const kinds = KINDS.filter(({ kind }) => measured.includes(kind));
  const out: object[] = [];
  const lossMarks: [number, number, number, string][] = [];
  for (const { kind, name, color } of kinds) {
    const points = withGaps(series?.points[kind] ?? [], series?.stepMs ?? 0);
    if (view === 'line') {
      out.push(
        ...band(
          name,
          points,
          (p) => p.minMs,
          (p) => p.maxMs,
          color,
          0.18,
          `${kind}-band`,
        ),
      );
    } else {
      // Percentiles straight from the sparse pairs the host sends (a dozen per point, in order).
      SMOKE_BANDS.forEach(([a, b, opacity], i) => {
        const at = new Map(
          points.map((p) => [p.t, [percentileOfPairs(p.hist, a, p.minMs, p.maxMs), percentileOfPairs(p.hist, b, p.minMs, p.maxMs)]]),
        );
        out.push(
          ...band(
            `${name} ${i}`,
            points,
            (p) => at.get(p.t)?.[0] ?? null,
            (p) => at.get(p.t)?.[1] ?? null,
            color,
            opacity,
            `${kind}-smoke-${i}`,
          ),
        );
      });
    }
    out.push({
      type: 'line',
      name,
      data: markedLine(points.map((p) => ({ t: p.t, v: p.medianMs }))),
      symbol: 'none',
      showSymbol: true,
      sampling: 'lttb',
      connectNulls: false,
      animation: false,
      lineStyle: { color, width: 1.6 },
      itemStyle: { color },
      z: 5,
    });
    for (const p of points) if (p.lost > 0) lossMarks.push([p.t, 0.5, p.lossPct, name]);
  }
  out.push({
    type: 'scatter',
    name: 'Loss',
    data: lossMarks,
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbol: 'rect',
    // Taller with more loss, always inside the strip.
    symbolSize: (v: [number, number, number]) => [3, 5 + Math.min(9, v[2] / 11)],
    itemStyle: { color: CHART_COLORS.loss },
    animation: false,
    z: 6,
  });
  const byKind = new Map(kinds.map(({ kind }) => [kind, new Map((series?.points[kind] ?? []).map((p) => [p.t, p]))]));
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: chrome.text },
    // From the bottom: the zoom slider, the zone, the time labels, the loss strip, the plot.
    grid: [
      { left: 56, right: 20, top: 28, bottom: LOSS_BOTTOM + LOSS_HEIGHT + 4 },
      { left: 56, right: 20, bottom: LOSS_BOTTOM, height: LOSS_HEIGHT },
    ],
    legend: {
      data: [...kinds.map((k) => k.name), 'Loss'],
      top: 0,
      right: 10,
      textStyle: { color: chrome.muted },
      itemWidth: 14,
      itemHeight: 6,
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis: [
      {
        type: 'time',
        gridIndex: 0,
        min: series?.from,
        max: series?.to,
        axisLine: { lineStyle: { color: chrome.border } },
        axisTick: { show: false },
        axisLabel: { show: false },
        splitLine: { show: false },
      },
      {
        type: 'time',
        gridIndex: 1,
        min: series?.from,
        max: series?.to,
        name: axisZoneName(series?.to),
        nameLocation: 'middle',
        nameGap: 30,
        nameTextStyle: { color: chrome.muted, fontSize: 11 },
        axisLine: { lineStyle: { color: chrome.border } },
        axisLabel: { color: chrome.muted, hideOverlap: true, formatter: TIME_LABELS },
        splitLine: { show: false },
      },
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        name: 'ms',
        min: 0,
        nameTextStyle: { color: chrome.muted },
        axisLabel: { color: chrome.muted, formatter: (v: number) => (v === 0 ? '0' : String(Number(v.toPrecision(3)))) },
        splitLine: { lineStyle: { color: chrome.grid } },
      },
      {
        type: 'value',
        gridIndex: 1,
        min: 0,
        max: 1,
        name: 'loss',
        nameLocation: 'middle',
        nameRotate: 0,
        nameGap: 8,
        nameTextStyle: { color: chrome.muted, fontSize: 11, align: 'right' },
        axisLabel: { show: false },
        axisTick: { show: false },
        axisLine: { show: false },
        splitLine: { show: false },
      },
    ],
    dataZoom: [
      { type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' },
      {
        type: 'slider',
        xAxisIndex: [0, 1],
        height: 20,
        bottom: 6,
        filterMode: 'none',
        borderColor: chrome.border,
        textStyle: { color: chrome.muted },
        brushSelect: true,
      },
    ],
    tooltip: {
      trigger: 'axis',
      backgroundColor: chrome.surface,
      borderColor: chrome.border,
      textStyle: { color: chrome.text, fontSize: 12 },
      formatter: (params: unknown) => tooltipHtml(params, byKind, series?.stepMs ?? 0),
    },
    series: out,
  };
}

function tooltipHtml(params: unknown, byKind: Map<string, Map<number, SeriesPoint>>, stepMs: number): string {
  const first = Array.isArray(params) ? (params[0] as { value?: unknown } | undefined) : undefined;
  const t = Array.isArray(first?.value) ? Number(first.value[0]) : Number.NaN;
  if (!Number.isFinite(t)) return '';
  const rows = KINDS.filter(({ kind }) => byKind.has(kind)).map(({ kind, name, color }) => {
    const p = byKind.get(kind)?.get(t);
    if (!p) return `<div><span style="color:${color}">■</span> ${name}: no probe</div>`;
    const code = p.code !== null ? ` · ${p.code}` : p.flagged > 0 ? ` · ${p.flagged} flagged (5xx/6xx)` : '';
    const rtt = p.medianMs === null ? 'lost' : `median ${formatMs(p.medianMs)} ms (min ${formatMs(p.minMs)}, max ${formatMs(p.maxMs)})`;
    return `<div><span style="color:${color}">■</span> ${name}: ${rtt}${code} · loss ${Math.round(p.lossPct)} % of ${p.count}</div>`;
  });
  return `<div style="font-variant-numeric: tabular-nums"><b>${tooltipWhen(t)}</b>${stepMs >= 60_000 ? ` (${Math.round(stepMs / 60_000)} min)` : ''}${rows.join('')}</div>`;
}
