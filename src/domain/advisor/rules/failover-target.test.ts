import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { failoverTarget as rule } from './failover-target';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const to = (targetId: string | null) => ({ capacityFailover: { enabled: true, targetId } });

describe(rule.id, () => {
  it('errors for a target outside the cluster or missing; notes a clustered server with no target', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: to('x') },
        { id: 'b', clusterId: 'c', config: to('gone') },
        { id: 'n', clusterId: 'c' },
        { id: 'x', clusterId: 'd' },
      ],
      ['c', 'd'],
    );
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings.map((f) => [f.servers[0]!.alias, f.severity])).toEqual([
      ['a', 'error'],
      ['b', 'error'],
      ['n', 'info'],
    ]);
    expect(findings[0]!.field).toBe('config.capacityFailover.targetId');
  });
  it('is quiet when the members fail over to each other', () => {
    const fleet = sketchFleet(
      [{ id: 'a', clusterId: 'c', config: to('b') }, { id: 'b', clusterId: 'c', config: to('a') }, { id: 'lone' }],
      ['c'],
    );
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
