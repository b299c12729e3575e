import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, valueOf } from '../../../test/helpers/prometheus';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import type { Sample } from '../../domain/monitoring/sample';
import type { StoredAlert } from '../store/alerts-repo';
import { openStore, type Store } from '../store/store';
import { createHostMetrics, type MetricsHost } from './host-metrics';

const NOW = Date.UTC(2026, 0, 1);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function fixture() {
  const store = openStore({ file: ':memory:', now: () => NOW });
  stores.push(store);
  store.zones.insert({ id: 'z1', name: 'EU', description: '', createdAt: NOW });
  store.clusters.insert({ id: 'c1', name: 'core', description: '', createdAt: NOW });
  const add = (id: string, alias: string, ip: string, clusterId: string | null) =>
    store.servers.insert({
      ...defaultServerDraft('z1'),
      id,
      alias,
      ip,
      clusterId,
      installRecommended: false,
      updatePending: false,
      createdAt: NOW,
      updatedAt: NOW,
    });
  add('s1', 'sbc-1', '192.0.2.1', 'c1');
  add('s2', 'sbc-2', '192.0.2.2', null);
  const listeners = new Set<(sample: Sample) => void>();
  let latest: LatestSummary[] | null = ['s1', 's2'].map((serverId) => ({
    serverId,
    status: 'online',
    reason: '',
    sip: null,
    icmp: null,
    sipLossPct: 0,
    icmpLossPct: 0,
  }));
  const host: MetricsHost = {
    store,
    alerts: { engine: { running: false, book: { openAlerts: () => [] }, holds: { of: () => null } } },
    latest: () => latest,
    onSample: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    info: () => ({ version: '9.9.9' }),
  };
  const emit = (sample: Sample) => listeners.forEach((l) => l(sample));
  return { store, host, emit, listeners, setLatest: (value: LatestSummary[] | null) => (latest = value) };
}

const alert = (serverId: string, state: StoredAlert['state'], kind: StoredAlert['kind'] = 'sip-loss'): Omit<StoredAlert, 'id'> => ({
  kind,
  subjectType: 'server',
  subjectId: serverId,
  subjectLabel: serverId,
  serverId,
  ip: null,
  zoneId: 'z1',
  zoneName: 'EU',
  clusterId: null,
  clusterName: null,
  severity: 'warning',
  state,
  flapping: false,
  summary: '',
  value: null,
  threshold: null,
  ruleSource: '',
  startedAt: NOW,
  updatedAt: NOW,
  acknowledgedAt: null,
  acknowledgedBy: null,
  ackNote: null,
  resolvedAt: null,
  resolveNote: null,
  notifiedAt: null,
  lastNotifiedAt: null,
  notifications: 0,
});

describe('host metrics', () => {
  it('counts every sample the host reports and labels servers with their zone and cluster names', () => {
    const { host, emit } = fixture();
    const metrics = createHostMetrics(host, () => NOW);
    emit({ serverId: 's1', kind: 'sip-udp', at: NOW, rttMs: 1, code: 200 });
    emit({ serverId: 's2', kind: 'sip-udp', at: NOW, rttMs: null });
    const parsed = parseExposition(metrics.render());
    expect(
      valueOf(parsed, 'switchyard_probes_total', { server: 'sbc-1', ip: '192.0.2.1', zone: 'EU', cluster: 'core', kind: 'sip-udp' }),
    ).toBe(1);
    expect(valueOf(parsed, 'switchyard_probes_lost_total', { server: 'sbc-2', zone: 'EU', cluster: '', kind: 'sip-udp' })).toBe(1);
    expect(valueOf(parsed, 'switchyard_server_status', { server: 'sbc-2', status: 'online' })).toBe(1);
    expect(valueOf(parsed, 'switchyard_build_info', { version: '9.9.9' })).toBe(1);
  });

  it('drops a server deleted from the fleet, and does not bring it back with a late sample', () => {
    const { store, host, emit, setLatest } = fixture();
    const metrics = createHostMetrics(host, () => NOW);
    emit({ serverId: 's2', kind: 'icmp', at: NOW, rttMs: 0.1 });
    expect(metrics.render()).toContain('server="sbc-2"');
    store.servers.delete('s2');
    setLatest([{ serverId: 's1', status: 'online', reason: '', sip: null, icmp: null, sipLossPct: 0, icmpLossPct: 0 }]);
    expect(metrics.render()).not.toContain('sbc-2');
    // A probe that was in flight when the server went.
    emit({ serverId: 's2', kind: 'icmp', at: NOW, rttMs: 0.1 });
    expect(metrics.render()).not.toContain('sbc-2');
  });

  it('reads alerts and holds from the file when the engine does not run here, and the action log', () => {
    const { store, host } = fixture();
    store.alerts.insert(alert('s1', 'firing'));
    store.alerts.insert(alert('s2', 'firing'));
    store.alerts.insert(alert('s2', 'acknowledged', 'latency'));
    store.alerts.insert(alert('s1', 'resolved'));
    store.holds.addSilence({
      level: 'server',
      scopeId: 's2',
      scopeLabel: 'sbc-2',
      startsAt: NOW - 1,
      endsAt: NOW + 60_000,
      reason: 'work',
      createdBy: 'ops',
    });
    const run = {
      label: 'Restart',
      params: {},
      options: { canary: false, stopOnFailure: true, concurrency: 1 },
      requestedBy: 'ops',
      origin: 'cli' as const,
      startedAt: NOW,
      endedAt: null,
      stoppedBy: null,
    };
    store.actionRuns.create({ ...run, id: 'r1', action: 'restart', status: 'succeeded' }, []);
    store.actionRuns.create({ ...run, id: 'r2', action: 'restart', status: 'succeeded' }, []);
    store.actionRuns.create({ ...run, id: 'r3', action: 'restart', status: 'running' }, []);
    const parsed = parseExposition(createHostMetrics(host, () => NOW).render());
    const labels = { severity: 'warning', kind: 'sip-loss' };
    expect(valueOf(parsed, 'switchyard_alerts_firing', labels)).toBe(1);
    expect(valueOf(parsed, 'switchyard_alerts_held', labels)).toBe(1);
    expect(valueOf(parsed, 'switchyard_alerts_acknowledged', labels)).toBe(0);
    expect(valueOf(parsed, 'switchyard_alerts_acknowledged', { severity: 'warning', kind: 'latency' })).toBe(1);
    expect(valueOf(parsed, 'switchyard_alerts_firing', { severity: 'warning', kind: 'latency' })).toBe(0);
    expect(valueOf(parsed, 'switchyard_action_runs_total', { action: 'restart', status: 'succeeded' })).toBe(2);
    expect(valueOf(parsed, 'switchyard_action_runs_running', { action: 'restart' })).toBe(1);
  });

  it('writes no fleet series while the live fleet is not probed, and stops counting once closed', () => {
    const { host, emit, listeners, setLatest } = fixture();
    const metrics = createHostMetrics(host, () => NOW);
    emit({ serverId: 's1', kind: 'icmp', at: NOW, rttMs: 0.1 });
    setLatest(null);
    const idle = metrics.render();
    expect(idle).not.toContain('sbc-1');
    expect(valueOf(parseExposition(idle), 'switchyard_monitoring_running')).toBe(0);
    metrics.close();
    expect(listeners.size).toBe(0);
  });
});
