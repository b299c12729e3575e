import { describe, expect, it } from 'vitest';
import { sketchFleet } from './fleet-builder';
import { failoverPath, failoverPaths } from './failover';

const to = (targetId: string | null) => ({ capacityFailover: { enabled: true, targetId } });
const codes = (p: { warnings: { code: string }[] }) => p.warnings.map((w) => w.code);

describe('failover paths', () => {
  it('follows the chain A → B → C and asks about load it does not know', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: to('b') },
        { id: 'b', clusterId: 'c', config: to('c') },
        { id: 'c', clusterId: 'c' },
      ],
      ['c'],
    );
    const [a] = failoverPaths(fleet);
    expect(a!.chain.map((s) => s.alias)).toEqual(['a', 'b', 'c']);
    expect(a!.loops).toBe(false);
    expect(codes(a!)).toEqual(['target-load-unknown']);
  });

  it('says nothing more when the target has room, and warns when it is full', () => {
    const fleet = sketchFleet([{ id: 'a', clusterId: 'c', config: to('b') }, { id: 'b', clusterId: 'c', channels: 100 }], ['c']);
    const a = fleet.servers[0]!;
    expect(codes(failoverPath(a, fleet, new Map([['b', 40]])))).toEqual([]);
    const full = failoverPath(a, fleet, new Map([['b', 100]]));
    expect(codes(full)).toEqual(['target-full']);
    expect(full.warnings[0]!.message).toContain('100 of 100 channels');
  });

  it('finds a loop and stops walking at the repeat', () => {
    const fleet = sketchFleet([{ id: 'a', clusterId: 'c', config: to('b') }, { id: 'b', clusterId: 'c', config: to('a') }], ['c']);
    const a = failoverPath(fleet.servers[0]!, fleet, new Map([['b', 1]]));
    expect(a.loops).toBe(true);
    expect(a.chain.map((s) => s.alias)).toEqual(['a', 'b', 'a']);
    expect(codes(a)).toEqual(['loop']);
  });

  it('warns about no target, a missing target and a target outside the cluster', () => {
    const fleet = sketchFleet(
      [
        { id: 'off', clusterId: 'c' },
        { id: 'peer', clusterId: 'c' },
        { id: 'gone', clusterId: 'c', config: to('deleted') },
        { id: 'away', clusterId: 'c', config: to('other') },
        { id: 'other', clusterId: 'd' },
      ],
      ['c', 'd'],
    );
    const [off, , gone, away] = fleet.servers.map((s) => failoverPath(s, fleet, new Map([['other', 0]])));
    expect(codes(off!)).toEqual(['no-target']);
    expect(off!.warnings[0]!.message).toContain('capacity failover is off');
    expect(codes(gone!)).toEqual(['target-missing']);
    expect(codes(away!)).toEqual(['target-outside-cluster']);
    expect(away!.warnings[0]!.message).toContain('cluster d');
  });

  it('an unclustered server has no target for a reason of its own', () => {
    const fleet = sketchFleet([{ id: 'lone' }]);
    expect(failoverPath(fleet.servers[0]!, fleet).warnings[0]!.message).toContain('in no cluster');
  });
});
