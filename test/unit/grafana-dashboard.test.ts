// The Grafana dashboard shipped in resources/grafana: valid JSON in a schema Grafana 9+ imports,
// a Prometheus data-source variable every panel uses, zone/cluster/server variables read from
// label_values, and PromQL that asks only for metrics and labels Switchyard writes (checked
// against the renderer's own family list, so renaming a metric fails here, not on a NOC wall).
// That the queries also run is checked against a real Prometheus in metrics-prometheus.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seriesLabels } from '../../src/services/metrics/families';

const DASHBOARD_FILE = new URL('../../resources/grafana/switchyard-dashboard.json', import.meta.url);

interface Target {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  definition?: string;
  datasource?: { type?: string; uid?: string };
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: Variable[] };
  panels: Panel[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : v.query.query);

/** PromQL words that are not metric names: functions, aggregations, keywords. */
const PROMQL_WORDS = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'group',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'histogram_quantile',
  'clamp_min',
  'clamp_max',
  'abs',
  'sort',
  'sort_desc',
  'label_replace',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'last_over_time',
  'changes',
  'resets',
  'absent',
  'vector',
  'scalar',
  'time',
]);

interface Use {
  metrics: string[];
  /** Label names in matchers and by/without clauses. */
  labels: string[];
}

/** Takes an expression apart by hand: selectors with their matchers, grouping labels, and the words left over. */
function usesOf(expr: string): Use {
  const metrics: string[] = [];
  const labels: string[] = [];
  // Grafana's label_values(selector, label) names a label as its last argument.
  let rest = expr.replace(/^label_values\((.*), *([a-zA-Z_][a-zA-Z0-9_]*)\)$/, (_, selector: string, label: string) => {
    labels.push(label);
    return selector;
  });
  rest = rest.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  rest = rest.replace(/\b(by|without)\s*\(([^)]*)\)/g, (_, _kw: string, list: string) => {
    labels.push(
      ...list
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  rest = rest.replace(/\{([^}]*)\}/g, (_, matchers: string) => {
    for (const m of matchers.split(','))
      if (m.trim() !== '') labels.push((/^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/.exec(m) ?? ['', `<bad matcher ${m}>`])[1] as string);
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ');
  for (const word of rest.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) {
    if (!PROMQL_WORDS.has(word)) metrics.push(word);
  }
  return { metrics, labels };
}

describe('Grafana dashboard', () => {
  it('is a dashboard Grafana imports: schema 36 or later, a uid and a title, panels placed on the 24-column grid without overlap', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.title).toContain('Switchyard');
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of panels) {
      expect(a.gridPos.x + a.gridPos.w, a.title).toBeLessThanOrEqual(24);
      for (const b of panels) {
        if (a === b) continue;
        const apart =
          a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
          b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
          a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
          b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        expect(apart, `${a.title} overlaps ${b.title}`).toBe(true);
      }
    }
  });

  it('reads everything from a Prometheus data-source variable', () => {
    expect(variables.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets ?? []) expect(t.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('has zone, cluster and server variables from label_values, each narrowing the next', () => {
    for (const name of ['zone', 'cluster', 'server']) {
      const v = variables.get(name);
      expect(v?.type).toBe('query');
      expect(v?.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(variableQuery(v as Variable)).toMatch(new RegExp(`^label_values\\(switchyard_[a-z_]+(\\{.*\\})?, ${name}\\)$`));
    }
    expect(variableQuery(variables.get('server') as Variable)).toContain('zone=~"$zone", cluster=~"$cluster"');
  });

  it('asks only for metrics and labels the renderer writes', () => {
    const declared = seriesLabels();
    const all = [...exprs, ...['zone', 'cluster', 'server'].map((n) => variableQuery(variables.get(n) as Variable))];
    for (const expr of all) {
      const use = usesOf(expr);
      expect(use.metrics.length, expr).toBeGreaterThan(0);
      for (const metric of use.metrics) expect([...declared.keys()], expr).toContain(metric);
      const known = new Set(use.metrics.flatMap((m) => declared.get(m) ?? []));
      for (const label of use.labels) expect([...known], `${label} in ${expr}`).toContain(label);
    }
  });

  it('shows what the NOC asked for: status counts, SIP and ICMP p50/p95 from the histogram, loss, last SIP code, alerts by severity, action runs by status', () => {
    const has = (pattern: RegExp) =>
      expect(
        exprs.some((e) => pattern.test(e)),
        String(pattern),
      ).toBe(true);
    has(/^sum by \(status\) \(switchyard_server_status\{/);
    for (const kind of ['sip-udp', 'icmp']) {
      for (const q of ['0.5', '0.95'])
        has(
          new RegExp(`^histogram_quantile\\(${q}, sum by \\(server, le\\) \\(rate\\(switchyard_probe_rtt_seconds_bucket\\{kind="${kind}"`),
        );
    }
    has(/switchyard_probe_loss_ratio\{/);
    has(/switchyard_sip_last_response_code\{/);
    has(/^sum by \(severity\) \(switchyard_alerts_firing\)$/);
    has(/^sum by \(status\) \(increase\(switchyard_action_runs_total\[\$__range\]\)\)$/);
    // Every per-server query follows the three variables.
    for (const expr of exprs.filter((e) => /switchyard_(server|probe|sip)/.test(e)))
      expect(expr).toContain('zone=~"$zone", cluster=~"$cluster", server=~"$server"');
  });
});
