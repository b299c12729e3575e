// What every time chart's axis says about when: local time, the zone named under the axis and in
// the tooltip, and a day change labelled with the date ("Dec 2", not ECharts' bare "2").
import { zoneLabel } from '../format';

/**
 * ECharts' leveled label templates (local time, 24-hour). A tick on a day, month or year boundary
 * takes the coarser template, so midnight on a 24 h chart reads "Dec 2" between the hours.
 */
export const TIME_LABELS = {
  year: '{yyyy}',
  month: '{MMM} {d}',
  day: '{MMM} {d}',
  hour: '{HH}:{mm}',
  minute: '{HH}:{mm}',
  second: '{HH}:{mm}:{ss}',
  millisecond: '{HH}:{mm}:{ss}',
} as const;

/** The axis name: which clock the labels are read on. */
export function axisZoneName(at = Date.now()): string {
  return `Local time · ${zoneLabel(at)}`;
}

/** A tooltip's heading: date and time to the second, then the zone. */
export function tooltipWhen(t: number): string {
  const when = new Date(t).toLocaleString(undefined, {
    hour12: false,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return `${when} ${zoneLabel(t)}`;
}

/** The median line's data: points with markers where a line alone would draw nothing. */
export type LinePoint = [number, number | null] | { value: [number, number | null]; symbol: 'circle'; symbolSize: number };

/** Below this many points per kind every point gets a marker (a 7-day chart of a new install). */
export const FEW_POINTS = 30;

/**
 * A line draws only between two neighbouring values, so a lone point (the only one, or one between
 * lost steps) would be invisible: it gets a marker, and so does every point of a sparse series.
 */
export function markedLine(points: readonly { t: number; v: number | null }[]): LinePoint[] {
  const few = points.filter((p) => p.v !== null).length <= FEW_POINTS;
  const drawn = (p: { v: number | null } | undefined) => p !== undefined && p.v !== null;
  return points.map((p, i) => {
    if (p.v === null) return [p.t, null];
    const lone = !drawn(points[i - 1]) && !drawn(points[i + 1]);
    return few || lone ? { value: [p.t, p.v], symbol: 'circle', symbolSize: few ? 6 : 5 } : [p.t, p.v];
  });
}
