import { describe, expect, it } from 'vitest';
import { parseExposition, valueOf } from '../../../test/helpers/prometheus';
import { ServerStatus } from '../../contract/fleet';
import { PROBE_KINDS, type Sample } from '../../domain/monitoring/sample';
import { tallyAlerts } from './alert-tally';
import { FAMILIES, seriesLabels } from './families';
import { renderFleetMetrics, STATUSES, type LiveFleet, type ServerIdentity, type ServerNow } from './fleet-metrics';
import { ProbeCollector } from './probe-collector';

const sbc1: ServerIdentity = { id: 's1', alias: 'sbc-1', ip: '192.0.2.1', zone: 'EU', cluster: 'core' };
const odd: ServerIdentity = { id: 's2', alias: 'odd "one"\\\nhere', ip: '192.0.2.2', zone: 'Zone \\ B', cluster: '' };
const sample = (serverId: string, kind: Sample['kind'], rttMs: number | null, code?: number): Sample => ({
  serverId,
  kind,
  at: 0,
  rttMs,
  ...(code === undefined ? {} : { code }),
});

function liveFleet(servers: ServerIdentity[], now: Record<string, ServerNow>): LiveFleet {
  return {
    servers,
    now: new Map(Object.entries(now)),
    alerts: tallyAlerts([{ severity: 'critical', kind: 'consecutive-failures', state: 'firing', serverId: 's1' }], () => false),
    actionRuns: [
      { action: 'restart', status: 'cancelled', count: 1 },
      { action: 'restart', status: 'running', count: 2 },
      { action: 'restart', status: 'succeeded', count: 5 },
      { action: 'update', status: 'failed', count: 3 },
    ],
  };
}

describe('fleet metrics renderer', () => {
  const probes = new ProbeCollector();
  probes.observe(sample('s1', 'sip-udp', 0.5, 200));
  probes.observe(sample('s1', 'sip-udp', 3, 200));
  probes.observe(sample('s1', 'sip-udp', null));
  probes.observe(sample('s1', 'icmp', 0.05));
  probes.observe(sample('s2', 'sip-udp', null));
  const live = liveFleet([sbc1, odd], {
    s1: { status: 'degraded', sipLossPct: 25, icmpLossPct: 0 },
    s2: { status: 'down', sipLossPct: 100, icmpLossPct: null },
  });
  const text = renderFleetMetrics({ version: '1.2.3', probes, live });
  const parsed = parseExposition(text);

  it('writes a valid exposition with every family once, in the listed order', () => {
    expect([...parsed.keys()]).toEqual(Object.values(FAMILIES).map((f) => f.name));
    for (const family of Object.values(FAMILIES)) expect(parsed.get(family.name)?.type).toBe(family.type);
  });

  it('gives every series exactly the labels its family declares', () => {
    const declared = seriesLabels();
    for (const family of parsed.values()) {
      for (const s of family.samples)
        expect(Object.keys(s.labels).sort(), s.name).toEqual([...(declared.get(s.name) ?? ['undeclared'])].sort());
    }
  });

  it('labels servers by alias, address, zone and cluster, escaping what needs it', () => {
    expect(
      valueOf(parsed, 'switchyard_probes_total', { server: 'sbc-1', ip: '192.0.2.1', zone: 'EU', cluster: 'core', kind: 'sip-udp' }),
    ).toBe(3);
    expect(
      valueOf(parsed, 'switchyard_probes_total', { server: 'odd "one"\\\nhere', zone: 'Zone \\ B', cluster: '', kind: 'sip-udp' }),
    ).toBe(1);
    expect(text).toContain('server="odd \\"one\\"\\\\\\nhere"');
  });

  it('writes the status as a state set: 1 for the current status, 0 for each other', () => {
    expect(STATUSES.toSorted()).toEqual(ServerStatus.options.toSorted());
    for (const status of STATUSES) {
      expect(valueOf(parsed, 'switchyard_server_status', { server: 'sbc-1', status })).toBe(status === 'degraded' ? 1 : 0);
      expect(valueOf(parsed, 'switchyard_server_status', { server: odd.alias, status })).toBe(status === 'down' ? 1 : 0);
    }
  });

  it('writes round trips as a cumulative histogram in seconds, losses apart', () => {
    const bucket = (le: string) => valueOf(parsed, 'switchyard_probe_rtt_seconds_bucket', { server: 'sbc-1', kind: 'sip-udp', le });
    expect(bucket('0.00016')).toBe(0);
    expect(bucket('0.00064')).toBe(1);
    expect(bucket('0.00256')).toBe(1);
    expect(bucket('0.01024')).toBe(2);
    expect(bucket('+Inf')).toBe(2);
    expect(valueOf(parsed, 'switchyard_probe_rtt_seconds_count', { server: 'sbc-1', kind: 'sip-udp' })).toBe(2);
    expect(valueOf(parsed, 'switchyard_probe_rtt_seconds_sum', { server: 'sbc-1', kind: 'sip-udp' })).toBeCloseTo(0.0035, 12);
    expect(valueOf(parsed, 'switchyard_probes_lost_total', { server: 'sbc-1', kind: 'sip-udp' })).toBe(1);
    // A server whose probes were all lost has a histogram of zeros, not none.
    expect(valueOf(parsed, 'switchyard_probe_rtt_seconds_bucket', { server: odd.alias, kind: 'sip-udp', le: '+Inf' })).toBe(0);
  });

  it('writes loss as a ratio, the last SIP code (0 for no answer), alerts with zeros, finished runs as counters', () => {
    expect(valueOf(parsed, 'switchyard_probe_loss_ratio', { server: 'sbc-1', kind: 'sip-udp' })).toBe(0.25);
    expect(valueOf(parsed, 'switchyard_probe_loss_ratio', { server: 'sbc-1', kind: 'icmp' })).toBe(0);
    expect(valueOf(parsed, 'switchyard_probe_loss_ratio', { server: odd.alias, kind: 'icmp' })).toBeUndefined();
    expect(valueOf(parsed, 'switchyard_sip_last_response_code', { server: 'sbc-1', kind: 'sip-udp' })).toBe(0);
    expect(valueOf(parsed, 'switchyard_sip_last_response_code', { server: 'sbc-1', kind: 'icmp' })).toBeUndefined();
    expect(valueOf(parsed, 'switchyard_alerts_firing', { severity: 'critical', kind: 'consecutive-failures' })).toBe(1);
    expect(valueOf(parsed, 'switchyard_alerts_firing', { severity: 'info', kind: 'latency' })).toBe(0);
    expect(valueOf(parsed, 'switchyard_action_runs_total', { action: 'restart', status: 'succeeded' })).toBe(5);
    expect(valueOf(parsed, 'switchyard_action_runs_total', { action: 'restart', status: 'running' })).toBeUndefined();
    expect(valueOf(parsed, 'switchyard_action_runs_running', { action: 'restart' })).toBe(2);
    expect(valueOf(parsed, 'switchyard_action_runs_running', { action: 'update' })).toBe(0);
    expect(valueOf(parsed, 'switchyard_build_info', { version: '1.2.3' })).toBe(1);
    expect(valueOf(parsed, 'switchyard_monitoring_running')).toBe(1);
  });

  it('writes the same text twice for the same state, and only the servers it is given', () => {
    expect(renderFleetMetrics({ version: '1.2.3', probes, live })).toBe(text);
    const without = parseExposition(renderFleetMetrics({ version: '1.2.3', probes, live: { ...live, servers: [sbc1] } }));
    const aliases = new Set([...without.values()].flatMap((f) => f.samples.map((s) => s.labels['server'])).filter((s) => s !== undefined));
    expect([...aliases]).toEqual(['sbc-1']);
  });

  it('writes only the build and a 0 for monitoring while the live fleet is not probed', () => {
    const idle = parseExposition(renderFleetMetrics({ version: '1.2.3', probes, live: null }));
    expect([...idle.keys()]).toEqual(['switchyard_build_info', 'switchyard_monitoring_running']);
    expect(valueOf(idle, 'switchyard_monitoring_running')).toBe(0);
  });

  it('renders 1,000 servers probed on every kind quickly (timing logged, not asserted)', () => {
    const many = new ProbeCollector();
    const servers: ServerIdentity[] = [];
    const now = new Map<string, ServerNow>();
    for (let i = 0; i < 1_000; i += 1) {
      const id = `srv-${i}`;
      servers.push({
        id,
        alias: `sbc-${String(i).padStart(4, '0')}`,
        ip: `10.0.${i >> 8}.${i & 255}`,
        zone: `zone-${i % 7}`,
        cluster: `cluster-${i % 40}`,
      });
      now.set(id, { status: 'online', sipLossPct: 0, icmpLossPct: 0 });
      for (const kind of PROBE_KINDS)
        for (let k = 0; k < 20; k += 1) many.observe(sample(id, kind, k === 0 ? null : 0.2 * k * (1 + (i % 5)), 200));
    }
    const input = { version: '1.2.3', probes: many, live: { servers, now, alerts: tallyAlerts([], () => false), actionRuns: [] } };
    renderFleetMetrics(input);
    const runs = 5;
    const started = performance.now();
    let out = '';
    for (let r = 0; r < runs; r += 1) out = renderFleetMetrics(input);
    const ms = (performance.now() - started) / runs;
    const lines = out.split('\n').length - 1;
    console.log(
      `[metrics] 1,000 servers × ${PROBE_KINDS.length} kinds: ${lines} lines, ${(out.length / 1e6).toFixed(1)} MB, rendered in ${ms.toFixed(1)} ms`,
    );
    expect(parseExposition(out).get('switchyard_probe_rtt_seconds')?.samples).toHaveLength(1_000 * PROBE_KINDS.length * 14);
  }, 30_000);
});
