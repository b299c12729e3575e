import { describe, expect, it } from 'vitest';
import type { OurProbe } from '../../dispatcher/compare';
import type { DsDestination } from '../../dispatcher/ds-list';
import { sketchFleet } from '../../platform/fleet-builder';
import { dispatcherDisagrees as rule } from './dispatcher-disagrees';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const dest = (uri: string, flags: 'AP' | 'IP' | 'DX'): DsDestination => ({
  setId: 1,
  uri,
  flags,
  state: flags === 'AP' ? 'active' : flags === 'IP' ? 'inactive' : 'disabled',
  probing: flags !== 'DX',
  priority: 0,
  attrs: null,
  weight: null,
  latency: null,
});
const ours = (status: OurProbe['status']): OurProbe =>
  status === 'down'
    ? { status, reason: 'SIP UDP: 3 lost in a row', sipRttMs: null, sipCode: null, sipLossPct: 100 }
    : { status, reason: '', sipRttMs: 0.42, sipCode: 200, sipLossPct: 0 };

describe(rule.id, () => {
  const fleet = sketchFleet([
    { id: 'lb', type: 'dispatcher', ip: '10.0.0.1' },
    { id: 'sw1', ip: '10.0.0.11' },
    { id: 'sw2', ip: '10.0.0.12' },
    { id: 'sw3', ip: '10.0.0.13' },
  ]);
  const probes = new Map([
    ['sw1', ours('online')],
    ['sw2', ours('down')],
    ['sw3', ours('down')],
  ]);
  const view = (readAt: number | null) => ({
    serverId: 'lb',
    readAt,
    destinations: [dest('sip:10.0.0.11', 'IP'), dest('sip:10.0.0.12:5060', 'AP'), dest('sip:10.0.0.13', 'DX'), dest('sip:192.0.2.1', 'AP')],
  });

  it('warns when the dispatcher marks a switch inactive that answers us; errors when it sends to one we see down', () => {
    const findings = rule.check({ ...fleet, dispatcherViews: [view(NOW - 30_000)], probes }, NOW, SETTINGS);
    expect(findings.map((f) => [f.severity, f.servers.map((s) => s.alias)])).toEqual([
      ['warning', ['lb', 'sw1']],
      ['error', ['lb', 'sw2']],
    ]);
    expect(findings[0]?.message).toBe(
      "lb marks sw1 (sip:10.0.0.11, set 1) inactive, while Switchyard's probes see it answering (SIP 200 in 0.42 ms).",
    );
    expect(findings[1]?.message).toBe(
      'lb still sends calls to sw2 (sip:10.0.0.12:5060, set 1), which Switchyard sees down (SIP UDP: 3 lost in a row).',
    );
    expect(findings[1]?.fix).toMatch(/dispatcher\.set_state ip 1 sip:10\.0\.0\.12:5060/);
    expect(findings.every((f) => f.field === 'destinations')).toBe(true);
  });

  it('an old read, no read, or no probes say nothing about now', () => {
    expect(rule.check({ ...fleet, dispatcherViews: [view(NOW - 6 * 60_000)], probes }, NOW, SETTINGS)).toEqual([]);
    expect(rule.check({ ...fleet, dispatcherViews: [view(null)], probes }, NOW, SETTINGS)).toEqual([]);
    expect(rule.check({ ...fleet, dispatcherViews: [view(NOW)] }, NOW, SETTINGS)).toEqual([]);
  });
});
