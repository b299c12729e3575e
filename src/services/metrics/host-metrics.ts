// Metrics of a running host: subscribes the probe collector to every sample and, at each scrape,
// reads who the servers are, what monitoring says of them, open alerts and the action log, and
// renders them. Everything is read from the live fleet only: while a snapshot is on show (or the
// host does not probe) only `switchyard_build_info` and `switchyard_monitoring_running 0` are
// written, so a dashboard shows a gap rather than a past fleet passed off as now.
import type { LatestSummary } from '../../contract/monitoring-methods';
import type { Sample } from '../../domain/monitoring/sample';
import { HoldIndex } from '../alerts/holds';
import type { StoredAlert } from '../store/alerts-repo';
import type { Store } from '../store/store';
import { tallyAlerts, type AlertCount } from './alert-tally';
import { renderFleetMetrics, type ServerIdentity, type ServerNow } from './fleet-metrics';
import { ProbeCollector } from './probe-collector';

/** What metrics need of the composition root (structurally a `HostApp`). */
export interface MetricsHost {
  readonly store: Pick<Store, 'servers' | 'zones' | 'clusters' | 'alerts' | 'holds' | 'actionRuns'>;
  readonly alerts: {
    readonly engine: {
      readonly running: boolean;
      readonly book: { openAlerts(): StoredAlert[] };
      readonly holds: { of(serverId: string | null): unknown };
    };
  };
  /** Monitoring's view of each live server; null while the host does not probe the live fleet. */
  latest(): readonly LatestSummary[] | null;
  onSample(listener: (sample: Sample) => void): () => void;
  info(): { version: string };
}

export interface HostMetrics {
  /** The exposition as of now. */
  render(): string;
  /** Stops counting samples. */
  close(): void;
}

export function createHostMetrics(host: MetricsHost, clock: () => number = Date.now): HostMetrics {
  const probes = new ProbeCollector();
  const unsubscribe = host.onSample((sample) => probes.observe(sample));
  const version = host.info().version;

  const servers = (): ServerIdentity[] => {
    const zones = new Map(host.store.zones.list().map((z) => [z.id, z.name]));
    const clusters = new Map(host.store.clusters.list().map((c) => [c.id, c.name]));
    return host.store.servers.list().map((s) => ({
      id: s.id,
      alias: s.alias,
      ip: s.ip,
      zone: zones.get(s.zoneId) ?? '',
      cluster: s.clusterId === null ? '' : (clusters.get(s.clusterId) ?? ''),
    }));
  };

  /** As the top bar counts them: from the engine while it runs, from the file otherwise (a read-only wall display). */
  const alerts = (): AlertCount[] => {
    const { engine } = host.alerts;
    if (engine.running) return tallyAlerts(engine.book.openAlerts(), (id) => engine.holds.of(id) !== null);
    const index = new HoldIndex(host.store, (id) => host.store.servers.get(id));
    index.refresh(clock());
    return tallyAlerts(host.store.alerts.open(), (id) => index.of(id) !== null);
  };

  return {
    render(): string {
      const latest = host.latest();
      if (latest === null) return renderFleetMetrics({ version, probes, live: null });
      const fleet = servers();
      probes.retain(new Set(fleet.map((s) => s.id)));
      const now = new Map<string, ServerNow>(latest.map((l) => [l.serverId, l]));
      return renderFleetMetrics({
        version,
        probes,
        live: { servers: fleet, now, alerts: alerts(), actionRuns: host.store.actionRuns.countByActionStatus() },
      });
    },
    close(): void {
      unsubscribe();
    },
  };
}
