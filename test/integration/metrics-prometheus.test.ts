// A real Prometheus (Debian's 2.42) scraping a real Switchyard host every second: the host
// monitors a fleet of two servers answering SIP (kamailio) and one silent server, with its token
// kept in a token file that Prometheus reads as `credentials_file`, as a production scrape config
// would. Asserted through Prometheus' own HTTP API, so what is checked is what PromQL sees.
// Everything listens on 127.0.0.1; every wait polls a condition; every process is stopped and waited for.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, Severity } from '../../src/contract/alerts';
import { openHost, type HostApp } from '../../src/host/app';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { createHostMetrics, type HostMetrics } from '../../src/services/metrics/host-metrics';
import { loadTokenFile } from '../../src/services/metrics/token-file';
import { startDemoKamailio, type DemoKamailio } from '../helpers/demo-kamailio';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { startKamailio, type Kamailio } from '../helpers/kamailio';
import { startPrometheus, type Prometheus, type VectorSample } from '../helpers/prometheus';
import { until } from '../helpers/until';
import { bearer, send } from '../helpers/web-client';

const DASHBOARD_FILE = new URL('../../resources/grafana/switchyard-dashboard.json', import.meta.url);
/** A second answering server needs its own address: the fleet refuses two servers on one IP. */
const SECOND = '127.0.77.2';
const SILENT = '127.0.77.3';

let dir: string;
let kamailio: Kamailio;
let demo: DemoKamailio;
let app: HostApp;
let metrics: HostMetrics;
let web: WebHost;
let prometheus: Prometheus;
let tokenFile: string;
const ids: Record<string, string> = {};
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-metrics-prom-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  kamailio = await startKamailio();
  cleanups.push(() => kamailio.stop());
  demo = await startDemoKamailio([SECOND]);
  cleanups.push(() => demo.stop());

  app = openHost({ dataDir: path.join(dir, 'data'), monitoring: true, log: () => undefined });
  cleanups.push(() => app.close());
  metrics = createHostMetrics(app);
  cleanups.push(() => metrics.close());
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300, statusDownAfterLosses: 2 });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const cluster = await call(app, 'fleet:create-cluster', { name: 'core', description: '' });
  const ok = kamailio.ports.ok;
  const silentPort = await freePort();
  const servers = [
    draft(zone.id, {
      ip: '127.0.0.1',
      alias: 'sbc-a',
      clusterId: cluster.id,
      config: { ...draft(zone.id).config, ports: { udp: ok, tcp: ok, tls: ok } },
    }),
    draft(zone.id, { ip: SECOND, alias: 'sbc-b' }),
    draft(zone.id, {
      ip: SILENT,
      alias: 'silent',
      config: { ...draft(zone.id).config, ports: { udp: silentPort, tcp: silentPort, tls: silentPort } },
    }),
  ];
  for (const server of servers) ids[server.alias] = (await call(app, 'fleet:create-server', server)).id;

  const staticDir = path.join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
  tokenFile = path.join(dir, 'token');
  web = await startWebHost({ app, staticDir, token: loadTokenFile(tokenFile), metrics: metrics.render, log: () => undefined });
  cleanups.push(() => web.close());

  const target = { static_configs: [{ targets: [`127.0.0.1:${web.port}`] }], scrape_interval: '1s', scrape_timeout: '1s' };
  prometheus = await startPrometheus([
    { job_name: 'switchyard', ...target, authorization: { type: 'Bearer', credentials_file: tokenFile } },
    { job_name: 'switchyard-no-token', ...target },
  ]);
  cleanups.push(() => prometheus.stop());
}, 90_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

/** Polls a PromQL query until `accept` takes its result; fails with the last result and Prometheus' log. */
async function eventually(expr: string, accept: (result: VectorSample[]) => boolean, ms = 30_000): Promise<VectorSample[]> {
  let last: VectorSample[] = [];
  try {
    await until(expr, async () => accept((last = await prometheus.query(expr))), ms);
  } catch (error) {
    throw new Error(`${String(error)}; last result ${JSON.stringify(last)}\n${prometheus.log()}`);
  }
  return last;
}

const byServer = (result: VectorSample[]) => Object.fromEntries(result.map((r) => [r.metric['server'] ?? '', r.value]));

describe('Prometheus scraping switchyard', () => {
  it('scrapes with the token file, and a job without the token is refused with 401', async () => {
    await until('both targets scraped', async () => {
      const targets = await prometheus.targets();
      const job = (name: string) => targets.find((t) => t.scrapePool === name);
      return job('switchyard')?.health === 'up' && job('switchyard-no-token')?.health === 'down';
    });
    const refused = (await prometheus.targets()).find((t) => t.scrapePool === 'switchyard-no-token');
    expect(refused?.lastError).toMatch(/401/);
  });

  it('counts probes of every server, and losses of the silent one', async () => {
    const probes = await eventually('switchyard_probes_total{job="switchyard",kind="sip-udp"} > 0', (r) => r.length === 3);
    expect(Object.keys(byServer(probes)).sort()).toEqual(['sbc-a', 'sbc-b', 'silent']);
    expect(probes.find((r) => r.metric['server'] === 'sbc-a')?.metric).toMatchObject({
      ip: '127.0.0.1',
      zone: 'Loopback',
      cluster: 'core',
    });
    await eventually('switchyard_probes_lost_total{server="silent",kind="sip-udp"} > 0', (r) => r.length === 1);
    await eventually('switchyard_probes_total{kind="icmp"} > 0', (r) => r.length === 3);
  });

  it('shows the silent server down and the answering ones online, as a state set', async () => {
    await eventually('switchyard_server_status{server="silent",status="down"} == 1', (r) => r.length === 1);
    await eventually('switchyard_server_status{server=~"sbc-a|sbc-b",status="online"} == 1', (r) => r.length === 2);
    // Exactly one status is 1 per server.
    const ones = await prometheus.query('sum by (server) (switchyard_server_status)');
    expect(byServer(ones)).toEqual({ 'sbc-a': 1, 'sbc-b': 1, silent: 1 });
  });

  it('gives SIP and ICMP latency quantiles from the histogram, the last SIP code and the loss ratio', async () => {
    const p95 = 'histogram_quantile(0.95, sum by (server, le) (rate(switchyard_probe_rtt_seconds_bucket{kind="sip-udp"}[5s])))';
    const sip = await eventually(p95, (r) => r.filter((s) => Number.isFinite(s.value) && s.value > 0).length === 2);
    // Loopback answers in well under a second; the silent server has no answered probe (NaN).
    for (const alias of ['sbc-a', 'sbc-b']) expect(byServer(sip)[alias]).toBeLessThan(1);
    expect(byServer(sip)['silent']).toBeNaN();
    const icmp = 'histogram_quantile(0.5, sum by (server, le) (rate(switchyard_probe_rtt_seconds_bucket{kind="icmp"}[5s])))';
    await eventually(icmp, (r) => r.filter((s) => Number.isFinite(s.value) && s.value > 0).length === 3);

    const codes = await eventually(
      'switchyard_sip_last_response_code{kind="sip-udp"}',
      (r) => r.length === 3 && byServer(r)['sbc-a'] === 200,
    );
    expect(byServer(codes)).toEqual({ 'sbc-a': 200, 'sbc-b': 200, silent: 0 });
    await eventually('switchyard_probe_loss_ratio{server="silent",kind="sip-udp"} == 1', (r) => r.length === 1);
    await eventually('switchyard_probe_loss_ratio{server="sbc-a",kind="sip-udp"} == 0', (r) => r.length === 1);
  });

  it('exposes the build, the alert gauges zero-filled and the action counters', async () => {
    const build = await eventually('switchyard_build_info', (r) => r.length === 1);
    expect(build[0]?.metric['version']).toBe(app.info().version);
    const firing = await eventually('switchyard_alerts_firing', (r) => r.length > 0);
    expect(firing).toHaveLength(Severity.options.length * AlertKind.options.length);
    expect(await prometheus.query('switchyard_monitoring_running')).toMatchObject([{ value: 1 }]);
  });

  it('answers every query of the Grafana dashboard, with data for the fleet panels', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
      templating: { list: { name: string; query: string | { query: string } }[] };
    };
    // What Grafana would send with "All" selected and a 5 s scrape-based rate interval.
    const asSent = (expr: string) =>
      expr
        .replace(/\$(zone|cluster|server)\b/g, '.*')
        .replace(/\$__rate_interval/g, '5s')
        .replace(/\$__range/g, '1m');
    const variables = dashboard.templating.list
      .filter((v) => typeof v.query !== 'string')
      .map((v) => ({ title: `$${v.name}`, expr: (v.query as { query: string }).query.replace(/^label_values\((.*), *\w+\)$/, '$1') }));
    const queries = [...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr }))), ...variables];
    expect(queries.length).toBeGreaterThan(10);
    for (const { title, expr } of queries) {
      // Nothing ran an action here, so those two only have to be accepted; everything else has series.
      if (/action_runs/.test(expr)) await prometheus.query(asSent(expr));
      else expect((await eventually(asSent(expr), (r) => r.length > 0)).length, title).toBeGreaterThan(0);
    }
  });

  it("passes promtool's exposition lint", async () => {
    const body = (await send(web.port, { path: '/metrics', headers: bearer(web.token) })).body;
    const lint = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
      );
      child.stdin?.end(body);
    });
    expect(lint.out).toBe('');
    expect(lint.code).toBe(0);
  });

  it('refuses a scrape without the token (401) and one naming a foreign host (403)', async () => {
    expect((await send(web.port, { path: '/metrics' })).status).toBe(401);
    expect(
      (await send(web.port, { path: '/metrics', headers: { ...bearer(web.token), host: `switchyard.evil.example:${web.port}` } })).status,
    ).toBe(403);
  });

  it('drops a server deleted from the fleet from what Prometheus sees', async () => {
    await eventually('switchyard_probes_total{server="sbc-b"}', (r) => r.length > 0);
    await call(app, 'fleet:delete-servers', { ids: [ids['sbc-b'] as string] });
    // Gone from the next scrape; Prometheus then marks its series stale, and an instant query finds none.
    await eventually('switchyard_probes_total{server="sbc-b"} or switchyard_server_status{server="sbc-b"}', (r) => r.length === 0);
    expect((await prometheus.query('switchyard_probes_total{server="sbc-a"}')).length).toBeGreaterThan(0);
  });
});
