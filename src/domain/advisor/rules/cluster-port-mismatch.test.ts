import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { clusterPortMismatch as rule } from './cluster-port-mismatch';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('flags the one member whose port differs from the rest', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c' },
        { id: 'b', clusterId: 'c' },
        { id: 'odd', clusterId: 'c', config: { ports: { udp: 5060, tcp: 8080, tls: 5061 } } },
      ],
      ['c'],
    );
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ field: 'config.ports.tcp', servers: [expect.objectContaining({ alias: 'odd' })] });
    expect(findings[0]!.message).toContain('odd uses 8080; the other members use 5061');
  });
  it('is quiet when every member uses the same custom ports, and across clusters', () => {
    const ports = { udp: 5070, tcp: 5071, tls: 5071 };
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: { ports } },
        { id: 'b', clusterId: 'c', config: { ports } },
        { id: 'x', clusterId: 'd' },
      ],
      ['c', 'd'],
    );
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
