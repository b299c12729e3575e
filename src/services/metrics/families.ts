// Every metric family Switchyard exposes, in the order it is written: names in base units
// (seconds, ratios 0–1), counters ending in `_total`, labels in snake_case. One list, read by the
// renderer, by its test (every series carries exactly these labels) and by the test that checks
// the Grafana dashboard asks only for metrics and labels that exist.
import type { MetricFamily } from './exposition';

export interface FamilySpec extends MetricFamily {
  /** The labels of every series of the family (a histogram's buckets add `le`). */
  readonly labels: readonly string[];
}

/** Labels naming a server on every per-server series: its alias, address, zone and cluster. */
const SERVER = ['server', 'ip', 'zone', 'cluster'] as const;

export const FAMILIES = {
  buildInfo: {
    name: 'switchyard_build_info',
    type: 'gauge',
    labels: ['version'],
    help: 'Always 1; the version of this Switchyard host as a label.',
  },
  monitoringRunning: {
    name: 'switchyard_monitoring_running',
    type: 'gauge',
    labels: [],
    help: '1 while this host probes the live fleet; 0 while it does not (a snapshot is on show), when no fleet series are written.',
  },
  serverStatus: {
    name: 'switchyard_server_status',
    type: 'gauge',
    labels: [...SERVER, 'status'],
    help: 'Status of each server as the console shows it: 1 for the current status, 0 for the others (online, degraded, down, stopped, expired, unknown).',
  },
  probeRtt: {
    name: 'switchyard_probe_rtt_seconds',
    type: 'histogram',
    labels: [...SERVER, 'kind'],
    help: 'Round-trip time of answered probes, by probe kind, since this host started.',
  },
  probes: {
    name: 'switchyard_probes_total',
    type: 'counter',
    labels: [...SERVER, 'kind'],
    help: 'Probes sent, answered or lost, by probe kind, since this host started.',
  },
  probesLost: {
    name: 'switchyard_probes_lost_total',
    type: 'counter',
    labels: [...SERVER, 'kind'],
    help: 'Probes lost (no answer before the deadline, refused, unreachable), by probe kind.',
  },
  lossRatio: {
    name: 'switchyard_probe_loss_ratio',
    type: 'gauge',
    labels: [...SERVER, 'kind'],
    help: 'Share of probes lost (0-1) over the status window the console judges status by; kind is sip-udp or icmp.',
  },
  sipLastCode: {
    name: 'switchyard_sip_last_response_code',
    type: 'gauge',
    labels: [...SERVER, 'kind'],
    help: 'Status code of the final SIP response to the last probe of each SIP kind; 0 when that probe got no answer.',
  },
  alertsFiring: {
    name: 'switchyard_alerts_firing',
    type: 'gauge',
    labels: ['severity', 'kind'],
    help: 'Open alerts neither acknowledged nor held by a maintenance or a silence, by severity and kind.',
  },
  alertsHeld: {
    name: 'switchyard_alerts_held',
    type: 'gauge',
    labels: ['severity', 'kind'],
    help: 'Firing alerts whose notifications are held by a maintenance or a silence, by severity and kind.',
  },
  alertsAcknowledged: {
    name: 'switchyard_alerts_acknowledged',
    type: 'gauge',
    labels: ['severity', 'kind'],
    help: 'Open alerts someone acknowledged, by severity and kind.',
  },
  actionRuns: {
    name: 'switchyard_action_runs_total',
    type: 'counter',
    labels: ['action', 'status'],
    help: 'Finished server action runs in the action log, by action and outcome (succeeded, failed, cancelled).',
  },
  actionRunsRunning: {
    name: 'switchyard_action_runs_running',
    type: 'gauge',
    labels: ['action'],
    help: 'Server action runs in progress, by action.',
  },
} as const satisfies Record<string, FamilySpec>;

/** Every series name the renderer can write, with its labels: a histogram's `_bucket` (with `le`), `_sum` and `_count` too. */
export function seriesLabels(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const f of Object.values(FAMILIES) as FamilySpec[]) {
    if (f.type !== 'histogram') {
      out.set(f.name, f.labels);
      continue;
    }
    out.set(`${f.name}_bucket`, [...f.labels, 'le']);
    out.set(`${f.name}_sum`, f.labels);
    out.set(`${f.name}_count`, f.labels);
  }
  return out;
}
