// Renders the whole exposition from plain data: who the servers are now, what monitoring says of
// them, the probe counters, open alerts and the action log. Pure and synchronous, so it is tested
// without a host and costs one pass over the fleet per scrape. Series come out in a stable order
// (families as listed in families.ts, servers in the order given, probe kinds in PROBE_KINDS
// order), and only servers given appear: one deleted from the fleet drops out at the next scrape.
import type { ServerStatus } from '../../contract/fleet';
import { PROBE_KINDS, SIP_KINDS, type ProbeKind } from '../../domain/monitoring/sample';
import type { AlertCount } from './alert-tally';
import { ExpositionWriter, joinLabels, labelText, type MetricFamily } from './exposition';
import { FAMILIES } from './families';
import type { ProbeCounts } from './probe-collector';
import { RTT_LE_LABELS } from './rtt-buckets';

/** A server as labelled: cluster is '' for a server in none (Prometheus reads '' as no label). */
export interface ServerIdentity {
  id: string;
  alias: string;
  ip: string;
  zone: string;
  cluster: string;
}

/** What monitoring says of a server now (a subset of the contract's LatestSummary). */
export interface ServerNow {
  status: ServerStatus;
  sipLossPct: number | null;
  icmpLossPct: number | null;
}

export interface ActionRunCount {
  action: string;
  status: string;
  count: number;
}

/** The live fleet as of this scrape; absent while the host does not probe it. */
export interface LiveFleet {
  servers: readonly ServerIdentity[];
  now: ReadonlyMap<string, ServerNow>;
  alerts: readonly AlertCount[];
  actionRuns: readonly ActionRunCount[];
}

export interface FleetMetricsInput {
  version: string;
  probes: { countsOf(serverId: string): ReadonlyMap<ProbeKind, Readonly<ProbeCounts>> | undefined };
  live: LiveFleet | null;
}

/** The state set's members: every status a server can have, healthiest first. */
export const STATUSES: readonly ServerStatus[] = ['online', 'degraded', 'down', 'stopped', 'expired', 'unknown'];

const STATUS_LABELS = STATUSES.map((status) => labelText([['status', status]]));
const KIND_LABEL = new Map<ProbeKind, string>(PROBE_KINDS.map((kind) => [kind, labelText([['kind', kind]])]));
/** `kind="…",le="…"` for every kind and bucket, built once rather than per series. */
const KIND_LE_LABELS = new Map<ProbeKind, string[]>(
  PROBE_KINDS.map((kind) => [
    kind,
    RTT_LE_LABELS.map((le) =>
      labelText([
        ['kind', kind],
        ['le', le],
      ]),
    ),
  ]),
);
const FINISHED_RUN_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);

export function renderFleetMetrics(input: FleetMetricsInput): string {
  const out = new ExpositionWriter();
  out.family(FAMILIES.buildInfo);
  out.sample(FAMILIES.buildInfo.name, labelText([['version', input.version]]), 1);
  out.family(FAMILIES.monitoringRunning);
  out.sample(FAMILIES.monitoringRunning.name, '', input.live === null ? 0 : 1);
  if (input.live === null) return out.text();

  const { live } = input;
  const servers = live.servers.map((s) => ({
    id: s.id,
    labels: labelText([
      ['server', s.alias],
      ['ip', s.ip],
      ['zone', s.zone],
      ['cluster', s.cluster],
    ]),
    counts: input.probes.countsOf(s.id),
  }));

  out.family(FAMILIES.serverStatus);
  for (const server of servers) {
    const now = live.now.get(server.id);
    if (now === undefined) continue;
    STATUSES.forEach((status, i) =>
      out.sample(FAMILIES.serverStatus.name, joinLabels(server.labels, STATUS_LABELS[i] as string), status === now.status ? 1 : 0),
    );
  }

  writeHistograms(out, servers);
  writeCounter(out, FAMILIES.probes, servers, (c) => c.probes);
  writeCounter(out, FAMILIES.probesLost, servers, (c) => c.lost);

  out.family(FAMILIES.lossRatio);
  for (const server of servers) {
    const now = live.now.get(server.id);
    if (now === undefined) continue;
    // The console's loss figures are sip-udp and icmp; named by the probe kind, so they join with the counters.
    if (now.sipLossPct !== null)
      out.sample(FAMILIES.lossRatio.name, joinLabels(server.labels, KIND_LABEL.get('sip-udp') as string), now.sipLossPct / 100);
    if (now.icmpLossPct !== null)
      out.sample(FAMILIES.lossRatio.name, joinLabels(server.labels, KIND_LABEL.get('icmp') as string), now.icmpLossPct / 100);
  }

  out.family(FAMILIES.sipLastCode);
  for (const server of servers) {
    for (const kind of SIP_KINDS) {
      const code = server.counts?.get(kind)?.lastCode;
      if (code !== undefined && code !== null)
        out.sample(FAMILIES.sipLastCode.name, joinLabels(server.labels, KIND_LABEL.get(kind) as string), code);
    }
  }

  writeAlerts(out, live.alerts);
  writeActionRuns(out, live.actionRuns);
  return out.text();
}

interface Labelled {
  labels: string;
  counts: ReadonlyMap<ProbeKind, Readonly<ProbeCounts>> | undefined;
}

function writeHistograms(out: ExpositionWriter, servers: readonly Labelled[]): void {
  const { name } = FAMILIES.probeRtt;
  out.family(FAMILIES.probeRtt);
  for (const server of servers) {
    if (server.counts === undefined) continue;
    for (const kind of PROBE_KINDS) {
      const c = server.counts.get(kind);
      if (c === undefined) continue;
      const le = KIND_LE_LABELS.get(kind) as string[];
      const head = `${name}_bucket{${server.labels},`;
      let chunk = '';
      let cumulative = 0;
      for (let i = 0; i < c.buckets.length; i += 1) {
        cumulative += c.buckets[i] as number;
        chunk += `${head}${le[i] as string}} ${cumulative}\n`;
      }
      out.raw(chunk);
      const kindLabels = joinLabels(server.labels, KIND_LABEL.get(kind) as string);
      out.sample(`${name}_sum`, kindLabels, c.sumSeconds);
      out.sample(`${name}_count`, kindLabels, c.answered);
    }
  }
}

function writeCounter(
  out: ExpositionWriter,
  family: MetricFamily,
  servers: readonly Labelled[],
  value: (c: Readonly<ProbeCounts>) => number,
): void {
  const { name } = family;
  out.family(family);
  for (const server of servers) {
    if (server.counts === undefined) continue;
    for (const kind of PROBE_KINDS) {
      const c = server.counts.get(kind);
      if (c !== undefined) out.sample(name, joinLabels(server.labels, KIND_LABEL.get(kind) as string), value(c));
    }
  }
}

function writeAlerts(out: ExpositionWriter, alerts: readonly AlertCount[]): void {
  const labelled = alerts.map((a) => ({
    a,
    labels: labelText([
      ['severity', a.severity],
      ['kind', a.kind],
    ]),
  }));
  out.family(FAMILIES.alertsFiring);
  for (const { a, labels } of labelled) out.sample(FAMILIES.alertsFiring.name, labels, a.firing);
  out.family(FAMILIES.alertsHeld);
  for (const { a, labels } of labelled) out.sample(FAMILIES.alertsHeld.name, labels, a.held);
  out.family(FAMILIES.alertsAcknowledged);
  for (const { a, labels } of labelled) out.sample(FAMILIES.alertsAcknowledged.name, labels, a.acknowledged);
}

function writeActionRuns(out: ExpositionWriter, runs: readonly ActionRunCount[]): void {
  // Only finished runs are counted: a run moves from running to its outcome, and a counter that
  // went down again would read as a reset. Runs in progress are a gauge of their own.
  out.family(FAMILIES.actionRuns);
  const running = new Map<string, number>();
  for (const run of runs) {
    if (!running.has(run.action)) running.set(run.action, 0);
    if (FINISHED_RUN_STATUSES.has(run.status))
      out.sample(
        FAMILIES.actionRuns.name,
        labelText([
          ['action', run.action],
          ['status', run.status],
        ]),
        run.count,
      );
    else if (run.status === 'running') running.set(run.action, (running.get(run.action) ?? 0) + run.count);
  }
  out.family(FAMILIES.actionRunsRunning);
  for (const [action, count] of running) out.sample(FAMILIES.actionRunsRunning.name, labelText([['action', action]]), count);
}
