import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { capacityInUse as rule } from './capacity-in-use';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const to = (targetId: string | null) => ({ capacityFailover: { enabled: true, targetId } });

describe(rule.id, () => {
  const fleet = sketchFleet(
    [
      { id: 'a', clusterId: 'c', channels: 100, cps: 10, config: to('b') },
      { id: 'b', clusterId: 'c', channels: 100, cps: 10, config: to('a') },
      { id: 'solo', channels: 100, cps: 10 },
    ],
    ['c'],
  );
  const check = (loads: [string, number | null, number | null][]) =>
    rule.check({ ...fleet, loads: new Map(loads.map(([id, channels, cps]) => [id, { channels, cps }])) }, NOW, SETTINGS);

  it('says nothing where nothing is measured, or use is well below the limits', () => {
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
    expect(
      check([
        ['a', 40, 3],
        ['solo', null, null],
      ]),
    ).toEqual([]);
  });

  it('a server at its CPS limit with nowhere to overflow blocks calls: an error naming what was measured', () => {
    const [finding] = check([['solo', 20, 10.4]]);
    expect(finding).toMatchObject({ severity: 'error', field: 'cps' });
    expect(finding?.message).toBe(
      'solo is at capacity (20 of 100 channels in use, 10.4 of 10 calls per second): No failover target (it is in no cluster, so no other server can take its calls): once solo is at capacity the next call is blocked.',
    );
  });

  it('overflow to a member with room is a warning; to a full one, an error', () => {
    expect(
      check([
        ['a', 100, 2],
        ['b', 10, 1],
      ])[0],
    ).toMatchObject({ severity: 'warning', field: 'channels' });
    expect(
      check([
        ['a', 100, 2],
        ['b', 10, 1],
      ])[0]?.message,
    ).toMatch(/overflow goes to b\.$/);
    const both = check([
      ['a', 100, 2],
      ['b', 100, 1],
    ]);
    expect(both.map((f) => [f.servers[0]?.alias, f.severity])).toEqual([
      ['a', 'error'],
      ['b', 'error'],
    ]);
    expect(both[0]?.message).toMatch(/Failover target b is itself at capacity \(100 of 100 channels\)/);
  });

  it('a target whose load is unknown is said to be unknown', () => {
    const [finding] = check([['a', 100, 2]]);
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(finding?.message).toMatch(/overflow goes to b, the load of failover target b is not known/);
  });

  it('80 % of a limit is near capacity', () => {
    const findings = check([['solo', 79, 8.1]]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      field: 'cps',
      message: 'solo is near capacity: 8.1 of 10 calls per second (80 % or more).',
    });
  });
});
