import { describe, expect, it } from 'vitest';
import { sketchFleet } from './fleet-builder';
import { failoverPath, failoverPaths, loadState } from './failover';

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

  it('a target is full when either its channels or its CPS reach the limit, and has room only when both are known below', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: to('b') },
        { id: 'b', clusterId: 'c', channels: 100, cps: 10 },
      ],
      ['c'],
    );
    const a = fleet.servers[0]!;
    const at = (channels: number | null, cps: number | null) => failoverPath(a, fleet, new Map([['b', { channels, cps }]]));
    expect(codes(at(40, 3))).toEqual([]);
    expect(codes(at(99, 9))).toEqual([]);

    const channelsFull = at(100, 3);
    expect(codes(channelsFull)).toEqual(['target-full']);
    expect(channelsFull.warnings[0]!.message).toContain('(100 of 100 channels)');
    const cpsFull = at(40, 10);
    expect(codes(cpsFull)).toEqual(['target-full']);
    expect(cpsFull.warnings[0]!.message).toContain('(10 of 10 CPS)');
    expect(at(120, 12).warnings[0]!.message).toContain('120 of 100 channels and 12 of 10 CPS');
    // A reached limit is full even when the other one is not known.
    expect(codes(at(100, null))).toEqual(['target-full']);
    expect(codes(at(null, 10))).toEqual(['target-full']);
  });

  it('says which part of the load is unknown rather than guessing room', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: to('b') },
        { id: 'b', clusterId: 'c', channels: 100, cps: 10 },
      ],
      ['c'],
    );
    const a = fleet.servers[0]!;
    const at = (channels: number | null, cps: number | null) => failoverPath(a, fleet, new Map([['b', { channels, cps }]])).warnings;
    expect(at(40, null)).toEqual([
      {
        code: 'target-load-unknown',
        message: expect.stringContaining('room on channels (40 of 100 channels), but its calls per second are not known'),
      },
    ]);
    expect(at(null, 3)).toEqual([
      {
        code: 'target-load-unknown',
        message: expect.stringContaining('below its CPS limit (3 of 10 CPS), but its active channels are not known'),
      },
    ]);
    expect(at(null, null)[0]!.message).toContain('neither active channels nor calls per second');
    expect(loadState(fleet.servers[1]!, new Map())).toEqual({ state: 'unknown', active: null, cps: null, reached: [] });
  });

  it('finds a loop and stops walking at the repeat', () => {
    const fleet = sketchFleet(
      [
        { id: 'a', clusterId: 'c', config: to('b') },
        { id: 'b', clusterId: 'c', config: to('a') },
      ],
      ['c'],
    );
    const a = failoverPath(fleet.servers[0]!, fleet, new Map([['b', { channels: 1, cps: 1 }]]));
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
    const [off, , gone, away] = fleet.servers.map((s) => failoverPath(s, fleet, new Map([['other', { channels: 0, cps: 0 }]])));
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
