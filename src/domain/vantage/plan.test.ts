import { describe, expect, it } from 'vitest';
import type { VantageSettings } from '../../contract/vantage-methods';
import { backoffMs, planKey, planVantage, type PlanServer } from './plan';

const on: VantageSettings = { enabled: true, sources: 'dispatchers', chosen: [], intervalSec: 5, switches: true, rtp: true, targets: [] };
const server = (
  id: string,
  type: PlanServer['type'],
  clusterId: string | null,
  adminState: PlanServer['adminState'] = 'running',
): PlanServer => ({
  id,
  ip: `192.0.2.${id.length + (id.charCodeAt(id.length - 1) % 200)}`,
  alias: id,
  type,
  clusterId,
  adminState,
});
const fleet = [
  server('lb-a', 'dispatcher', 'A'),
  server('lb-b', 'dispatcher', 'B'),
  server('lb-off', 'dispatcher', 'A', 'stopped'),
  server('sw-a1', 'switch', 'A'),
  server('sw-a2', 'switch', 'A'),
  server('sw-b1', 'switch', 'B'),
  server('sw-none', 'switch', null),
];
const rtp = [{ id: 'r1', ip: '198.51.100.1', alias: 'rtp-1' }];

describe('planVantage', () => {
  it('plans nothing while off', () => {
    expect(planVantage({ ...on, enabled: false }, fleet, rtp, [])).toEqual([]);
  });

  it("has every running dispatcher probe its own cluster's switches, the RTP servers and the added addresses", () => {
    const plans = planVantage(on, fleet, rtp, [{ id: 7, address: '203.0.113.9', label: 'Carrier' }]);
    expect(plans.map((p) => p.serverId)).toEqual(['lb-a', 'lb-b']);
    const a = plans[0]?.targets.map((t) => t.id);
    expect(a).toEqual(['addr_7', 'rtp_r1', 'sw-a1', 'sw-a2']);
    expect(plans[1]?.targets.map((t) => t.id)).toEqual(['addr_7', 'rtp_r1', 'sw-b1']);
  });

  it('chosen servers probe instead of the dispatchers; a server never probes itself', () => {
    const plans = planVantage({ ...on, sources: 'chosen', chosen: ['sw-a1'], rtp: false }, fleet, rtp, []);
    expect(plans.map((p) => [p.serverId, p.targets.map((t) => t.id)])).toEqual([['sw-a1', ['sw-a2']]]);
    const withSwitches = planVantage({ ...on, sources: 'chosen', chosen: ['lb-a'], rtp: false }, fleet, rtp, []);
    expect(withSwitches[0]?.targets.map((t) => t.kind)).toEqual(['switch', 'switch']);
  });

  it('keys a plan by its addresses and period, so only a real change restarts a stream', () => {
    const [plan] = planVantage(on, fleet, rtp, []);
    if (!plan) throw new Error('no plan');
    expect(planKey(plan, 5_000)).toBe(planKey({ ...plan, targets: [...plan.targets] }, 5_000));
    expect(planKey(plan, 5_000)).not.toBe(planKey(plan, 1_000));
    expect(planKey(plan, 5_000)).not.toBe(planKey({ ...plan, targets: plan.targets.slice(1) }, 5_000));
    // A switch's SIP port moving restarts the stream too (its OPTIONS go elsewhere).
    const moved = { ...plan, targets: plan.targets.map((t) => (t.kind === 'switch' ? { ...t, sipPort: 5070 } : t)) };
    expect(planKey(plan, 5_000)).not.toBe(planKey(moved, 5_000));
  });

  it('sends SIP OPTIONS to switches on their UDP port; RTP servers and added addresses are ICMP only', () => {
    const withPorts = fleet.map((s) => (s.id === 'sw-a2' ? { ...s, config: { ports: { udp: 5080 } } } : s));
    const [plan] = planVantage(on, withPorts, rtp, [{ id: 7, address: '203.0.113.7', label: 'Carrier' }]);
    expect(plan?.targets.map((t) => [t.id, t.sipPort])).toEqual([
      ['addr_7', null],
      ['rtp_r1', null],
      ['sw-a1', 5060],
      ['sw-a2', 5080],
    ]);
  });
});

describe('backoffMs', () => {
  it('doubles from the base up to the cap', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 50].map((n) => backoffMs(n))).toEqual([0, 1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 300, 2_000))).toEqual([300, 600, 1_200, 2_000]);
  });
});
