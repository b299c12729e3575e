import { describe, expect, it } from 'vitest';
import { variedFleet } from '../advisor/varied-fleet';
import { indexFleet } from './fleet-index';
import { clusterName } from './fleet-shape';

describe('the fleet index', () => {
  const { fleet } = variedFleet(300, 7);
  const index = indexFleet(fleet);
  const clusterIds = [...new Set([...fleet.clusters.map((c) => c.id), ...fleet.servers.flatMap((s) => s.clusterId ?? [])]), 'nowhere'];

  it('finds every server by id', () => {
    for (const s of fleet.servers) expect(index.byId.get(s.id)).toBe(s);
    expect(index.byId.get('gone')).toBeUndefined();
  });

  it("answers each cluster's members and name as a scan of the fleet does, in fleet order", () => {
    for (const id of clusterIds) {
      expect(index.members(id)).toEqual(fleet.servers.filter((s) => s.clusterId === id));
      expect(index.clusterName(id)).toBe(clusterName(fleet, id));
    }
  });

  it('names a cluster listed twice by its first entry', () => {
    const twice = indexFleet({
      servers: [],
      clusters: [
        { id: 'c', name: 'first' },
        { id: 'c', name: 'second' },
      ],
    });
    expect(twice.clusterName('c')).toBe('first');
  });
});
