import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { sketchFleet } from './fleet-builder';
import { applyChanges, calculate, effectiveLimits } from './limits';

const NOW = Date.UTC(2026, 0, 1);
const joe = { cps: 10, channels: 30 };

describe('effective limits: the reference example', () => {
  it('Joe allowed 10 CPS gets 10 per unclustered server: 20 CPS through two', () => {
    const report = effectiveLimits(sketchFleet([{ id: 'a' }, { id: 'b' }]), joe, NOW);
    expect(report.groups.map((g) => [g.kind, g.name, g.effectiveCps])).toEqual([
      ['server', 'a', 10],
      ['server', 'b', 10],
    ]);
    expect(report.totalCps).toBe(20);
    expect(report.cpsMultiplier).toBe(2);
    expect(report.exceedsAllowance).toBe(true);
  });

  it('the same two servers in a cluster allow 10 CPS in total', () => {
    const report = effectiveLimits(
      sketchFleet(
        [
          { id: 'a', clusterId: 'c1' },
          { id: 'b', clusterId: 'c1' },
        ],
        ['c1'],
      ),
      joe,
      NOW,
    );
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({ kind: 'cluster', name: 'c1', effectiveCps: 10, effectiveChannels: 30, inService: 2 });
    expect(report.totalCps).toBe(10);
    expect(report.cpsMultiplier).toBe(1);
    expect(report.exceedsAllowance).toBe(false);
  });
});

describe('effective limits: mixed fleets and capacity', () => {
  const mixed = sketchFleet(
    [
      { id: 'c1a', clusterId: 'c1' },
      { id: 'c1b', clusterId: 'c1' },
      { id: 'c2a', clusterId: 'c2' },
      { id: 'lone1' },
      { id: 'lone2', cps: 4, channels: 20 },
    ],
    ['c1', 'c2'],
  );

  it('one limit per cluster plus one per unclustered server, a small server capping its own', () => {
    const report = effectiveLimits(mixed, joe, NOW);
    expect(report.groups.map((g) => [g.name, g.effectiveCps, g.effectiveChannels, g.cpsCappedBy])).toEqual([
      ['c1', 10, 30, 'allowance'],
      ['c2', 10, 30, 'allowance'],
      ['lone1', 10, 30, 'allowance'],
      ['lone2', 4, 20, 'capacity'],
    ]);
    expect(report.totalCps).toBe(34);
    expect(report.totalChannels).toBe(110);
  });

  it('a cluster passes at most what its members carry together', () => {
    const small = sketchFleet(
      [
        { id: 'a', clusterId: 'c', cps: 3 },
        { id: 'b', clusterId: 'c', cps: 4 },
      ],
      ['c'],
    );
    expect(effectiveLimits(small, joe, NOW).groups[0]).toMatchObject({ capacityCps: 7, effectiveCps: 7, cpsCappedBy: 'capacity' });
  });

  it('stopped and expired servers carry nothing', () => {
    const fleet = sketchFleet([{ id: 'a', adminState: 'stopped' }, { id: 'b', expiresAt: NOW - 1 }, { id: 'c' }]);
    const report = effectiveLimits(fleet, joe, NOW);
    expect(report.groups.map((g) => g.effectiveCps)).toEqual([0, 0, 10]);
    expect(report.totalCps).toBe(10);
  });

  it('refuses an allowance that is not a positive whole number, naming it', () => {
    expect(() => effectiveLimits(mixed, { cps: 0, channels: 5 }, NOW)).toThrow(DomainError);
    try {
      effectiveLimits(mixed, { cps: 5, channels: 2.5 }, NOW);
    } catch (e) {
      expect((e as DomainError).field).toBe('channels');
    }
  });
});

describe('the what-if calculator', () => {
  const two = sketchFleet([{ id: 'a' }, { id: 'b' }], ['core']);

  it('clustering two unclustered servers brings 20 CPS back to 10', () => {
    const result = calculate(two, [{ op: 'cluster', serverIds: ['a', 'b'], cluster: { id: 'core' } }], joe, NOW);
    expect(result.before.totalCps).toBe(20);
    expect(result.after.totalCps).toBe(10);
    expect(result.after.groups[0]).toMatchObject({ kind: 'cluster', name: 'core' });
  });

  it('adding an unclustered server adds a whole allowance; adding it to a new cluster with a member does not', () => {
    const add = calculate(two, [{ op: 'add', alias: 'c', type: 'switch', cps: 50, channels: 100, cluster: null }], joe, NOW);
    expect(add.after.totalCps).toBe(30);
    const grouped = calculate(
      two,
      [
        { op: 'add', alias: 'c', type: 'switch', cps: 50, channels: 100, cluster: { newName: 'edge' } },
        { op: 'cluster', serverIds: ['a'], cluster: { newName: 'edge' } },
      ],
      joe,
      NOW,
    );
    expect(grouped.after.groups.map((g) => [g.name, g.servers.length])).toEqual([
      ['edge', 2],
      ['b', 1],
    ]);
    expect(grouped.after.totalCps).toBe(20);
  });

  it('removing a server removes its limit; the real fleet is left as it was', () => {
    const result = calculate(two, [{ op: 'remove', serverId: 'b' }], joe, NOW);
    expect(result.after.totalCps).toBe(10);
    expect(two.servers).toHaveLength(2);
  });

  it('names the change that refers to an unknown server', () => {
    try {
      applyChanges(two, [
        { op: 'remove', serverId: 'a' },
        { op: 'remove', serverId: 'a' },
      ]);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).field).toBe('changes.1.serverId');
    }
  });
});
