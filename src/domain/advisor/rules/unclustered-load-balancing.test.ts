import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { unclusteredLoadBalancing as rule } from './unclustered-load-balancing';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('flags two unclustered Dispatchers, and two unclustered switches in one zone', () => {
    const fleet = sketchFleet([
      { id: 'd1', type: 'dispatcher' },
      { id: 'd2', type: 'dispatcher' },
      { id: 's1', zoneId: 'eu' },
      { id: 's2', zoneId: 'eu' },
      { id: 's3', zoneId: 'us' },
    ]);
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings.map((f) => f.servers.map((s) => s.alias))).toEqual([
      ['d1', 'd2'],
      ['s1', 's2'],
    ]);
    expect(findings[0]).toMatchObject({ severity: 'warning', field: 'clusterId' });
    expect(findings[0]!.message).toContain('2×');
  });

  it('is quiet for clustered servers and for a lone switch per zone', () => {
    const fleet = sketchFleet(
      [
        { id: 'd1', type: 'dispatcher', clusterId: 'c' },
        { id: 'd2', type: 'dispatcher', clusterId: 'c' },
        { id: 's1', zoneId: 'eu' },
        { id: 's2', zoneId: 'us' },
      ],
      ['c'],
    );
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
