// The console's chart colours, defined once: SIP is always the blue, ICMP always the amber, on
// every chart and in both themes (both read on the dark and the light background), so a glance
// at any chart says which protocol a line is. Loss is red marks; a second run compared is violet.

export const CHART_COLORS = {
  sip: '#4c9dff',
  icmp: '#e0a526',
  loss: '#f0524b',
  /** The second of two runs shown together (compare), beside ICMP's colour for the first. */
  compare: '#b58cff',
} as const;

/** Axis, grid and label colours of the current theme, read from the CSS tokens. */
export function chartChrome(): { text: string; muted: string; grid: string; border: string; surface: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#dde3ea'),
    muted: v('--text-muted', '#97a1ae'),
    grid: v('--border', '#2a323d'),
    border: v('--border-strong', '#3a4452'),
    surface: v('--surface', '#151a20'),
  };
}
