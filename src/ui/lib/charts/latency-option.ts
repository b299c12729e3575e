// The server page's round-trip chart as an ECharts option, built from the host's series:
// SIP and ICMP on one time axis (their fixed colours), each with its min–max band behind the
// median line, loss as red marks on the axis, and a smoke view (Smokeping-style) drawing each
// step's distribution from its histogram as nested percentile bands.
import type { Series, SeriesPoint } from '../../../contract/monitoring-methods';
import { percentileOfPairs } from '../../../domain/monitoring/rollup';
import { formatMs } from '../../../domain/monitoring/format-ms';
import { CHART_COLORS } from '../chart-colors';
import type { ChartOption } from './echarts.svelte';

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

/** A band as two stacked lines: the lower edge (invisible) and the height above it (filled). */
function band(name: string, points: readonly SeriesPoint[], lo: (p: SeriesPoint) => number | null, hi: (p: SeriesPoint) => number | null, color: string, opacity: number, stack: string) {
  const low: Pair[] = points.map((p) => [p.t, lo(p)]);
  const height: Pair[] = points.map((p) => {
    const a = lo(p);
    const b = hi(p);
    return [p.t, a === null || b === null ? null : Math.max(0, b - a)];
  });
  const common = { type: 'line', stack, symbol: 'none', silent: true, connectNulls: false, lineStyle: { width: 0 }, animation: false, tooltip: { show: false } };
  return [
    { ...common, name: `${name} low`, data: low, areaStyle: { opacity: 0 } },
    { ...common, name: `${name} band`, data: height, areaStyle: { color, opacity } },
  ];
}

export function latencyOption(series: Series | null, view: ChartView, chrome: Chrome): ChartOption {
  const out: object[] = [];
  const lossMarks: [number, number, number, string][] = [];
  for (const { kind, name, color } of KINDS) {
    const points = series?.points[kind] ?? [];
    if (view === 'line') {
      out.push(...band(name, points, (p) => p.minMs, (p) => p.maxMs, color, 0.18, `${kind}-band`));
    } else {
      // Percentiles straight from the sparse pairs the host sends (a dozen per point, in order).
      SMOKE_BANDS.forEach(([a, b, opacity], i) => {
        const at = new Map(points.map((p) => [p.t, [percentileOfPairs(p.hist, a, p.minMs, p.maxMs), percentileOfPairs(p.hist, b, p.minMs, p.maxMs)]]));
        out.push(...band(`${name} ${i}`, points, (p) => at.get(p.t)?.[0] ?? null, (p) => at.get(p.t)?.[1] ?? null, color, opacity, `${kind}-smoke-${i}`));
      });
    }
    out.push({
      type: 'line',
      name,
      data: points.map((p) => [p.t, p.medianMs]),
      symbol: 'none',
      sampling: 'lttb',
      connectNulls: false,
      animation: false,
      lineStyle: { color, width: 1.6 },
      itemStyle: { color },
      z: 5,
    });
    for (const p of points) if (p.lost > 0) lossMarks.push([p.t, 0, p.lossPct, name]);
  }
  out.push({
    type: 'scatter',
    name: 'Loss',
    data: lossMarks,
    symbol: 'rect',
    symbolSize: (v: [number, number, number]) => [3, 6 + Math.min(10, v[2] / 10)],
    itemStyle: { color: CHART_COLORS.loss },
    animation: false,
    z: 6,
  });
  const byKind = new Map(KINDS.map(({ kind }) => [kind, new Map((series?.points[kind] ?? []).map((p) => [p.t, p]))]));
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: chrome.text },
    grid: { left: 56, right: 20, top: 28, bottom: 62 },
    legend: { data: ['SIP', 'ICMP', 'Loss'], top: 0, right: 10, textStyle: { color: chrome.muted }, itemWidth: 14, itemHeight: 6 },
    xAxis: { type: 'time', min: series?.from, max: series?.to, axisLine: { lineStyle: { color: chrome.border } }, axisLabel: { color: chrome.muted, hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', name: 'ms', min: 0, nameTextStyle: { color: chrome.muted }, axisLabel: { color: chrome.muted, formatter: (v: number) => (v === 0 ? '0' : String(Number(v.toPrecision(3)))) }, splitLine: { lineStyle: { color: chrome.grid } } },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, height: 22, bottom: 8, filterMode: 'none', borderColor: chrome.border, textStyle: { color: chrome.muted }, brushSelect: true },
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
  const rows = KINDS.map(({ kind, name, color }) => {
    const p = byKind.get(kind)?.get(t);
    if (!p) return `<div><span style="color:${color}">■</span> ${name}: no probe</div>`;
    const code = p.code !== null ? ` · ${p.code}` : p.flagged > 0 ? ` · ${p.flagged} flagged (5xx/6xx)` : '';
    const rtt = p.medianMs === null ? 'lost' : `median ${formatMs(p.medianMs)} ms (min ${formatMs(p.minMs)}, max ${formatMs(p.maxMs)})`;
    return `<div><span style="color:${color}">■</span> ${name}: ${rtt}${code} · loss ${Math.round(p.lossPct)} % of ${p.count}</div>`;
  });
  const when = new Date(t).toLocaleString(undefined, { hour12: false });
  return `<div style="font-variant-numeric: tabular-nums"><b>${when}</b>${stepMs >= 60_000 ? ` (${Math.round(stepMs / 60_000)} min)` : ''}${rows.join('')}</div>`;
}
