import type { Cluster, ClusterDraft, Zone, ZoneDraft } from '../../contract/fleet';
import { DomainError, invalid, notFound, refuseIssues } from '../../domain/errors';
import { clusterIssues, zoneIssues } from '../../domain/fleet/rules';
import { fleetContext, newId, type FleetDeps } from './context';
import { countsOf } from '../../domain/count-words';

export function createZonesService({ store, clock, emit }: FleetDeps) {
  const toZone = (z: { id: string; name: string; description: string }): Zone => {
    const usage = store.zones.usage(z.id);
    return { id: z.id, name: z.name, description: z.description, serverCount: usage.servers, rtpCount: usage.rtp };
  };
  const get = (id: string) =>
    store.zones.get(id) ??
    (() => {
      throw notFound('Zone', id);
    })();
  return {
    list: (): Zone[] => store.zones.list().map(toZone),
    create(draft: ZoneDraft): Zone {
      const zone = store.transaction(() => {
        refuseIssues(zoneIssues(draft, store.zones.list(), null));
        const zone = { id: newId(), name: draft.name, description: draft.description, createdAt: clock() };
        store.zones.insert(zone);
        return zone;
      });
      emit('zones');
      return toZone(zone);
    },
    update(id: string, draft: ZoneDraft): Zone {
      const zone = store.transaction(() => {
        const zone = { ...get(id), name: draft.name, description: draft.description };
        refuseIssues(zoneIssues(draft, store.zones.list(), id));
        store.zones.update(zone);
        return zone;
      });
      emit('all');
      return toZone(zone);
    },
    delete(id: string): { deleted: number } {
      store.transaction(() => {
        const zone = get(id);
        const usage = store.zones.usage(id);
        if (usage.servers > 0 || usage.rtp > 0) {
          throw new DomainError(
            'conflict',
            `Zone "${zone.name}" still holds ${countsOf([
              [usage.servers, 'server'],
              [usage.rtp, 'RTP server'],
            ])}: move or delete them first.`,
          );
        }
        store.zones.delete(id);
      });
      emit('zones');
      return { deleted: 1 };
    },
  };
}

export interface DeleteClusterInput {
  id: string;
  members: 'refuse' | 'unassign' | 'move';
  moveTo?: string | undefined;
}

export function createClustersService({ store, clock, emit }: FleetDeps) {
  const toCluster = (c: { id: string; name: string; description: string }): Cluster => ({
    id: c.id,
    name: c.name,
    description: c.description,
    memberCount: store.clusters.memberCount(c.id),
  });
  const get = (id: string) =>
    store.clusters.get(id) ??
    (() => {
      throw notFound('Cluster', id);
    })();
  return {
    list: (): Cluster[] => store.clusters.list().map(toCluster),
    create(draft: ClusterDraft): Cluster {
      const cluster = store.transaction(() => {
        refuseIssues(clusterIssues(draft, fleetContext(store).clusters, null));
        const cluster = { id: newId(), name: draft.name, description: draft.description, createdAt: clock() };
        store.clusters.insert(cluster);
        return cluster;
      });
      emit('clusters');
      return toCluster(cluster);
    },
    update(id: string, draft: ClusterDraft): Cluster {
      const cluster = store.transaction(() => {
        const cluster = { ...get(id), name: draft.name, description: draft.description };
        refuseIssues(clusterIssues(draft, store.clusters.list(), id));
        store.clusters.update(cluster);
        return cluster;
      });
      emit('all');
      return toCluster(cluster);
    },
    /**
     * Members are never dropped silently: the caller says whether to leave them unclustered or
     * move them. Either way their cluster changed, so Install Server is recommended, and a
     * failover target that is no longer in the same cluster is cleared.
     */
    delete(input: DeleteClusterInput) {
      const result = store.transaction(() => {
        const cluster = get(input.id);
        const members = store.servers.inCluster(cluster.id);
        if (members.length > 0 && input.members === 'refuse') {
          throw new DomainError(
            'conflict',
            `Cluster "${cluster.name}" has ${members.length} member(s): choose to leave them unclustered or move them to another cluster.`,
            { field: 'members' },
          );
        }
        let target: string | null = null;
        if (input.members === 'move') {
          if (!input.moveTo) throw invalid('moveTo', 'Choose the cluster the members move to.');
          if (input.moveTo === cluster.id) throw invalid('moveTo', 'Members cannot move to the cluster being deleted.');
          target = get(input.moveTo).id;
        }
        for (const member of members) {
          const failover = member.config.capacityFailover;
          const keepsTarget = target !== null && failover.targetId !== null && members.some((m) => m.id === failover.targetId);
          store.servers.update({
            ...member,
            clusterId: target,
            config: { ...member.config, capacityFailover: keepsTarget ? failover : { enabled: false, targetId: null } },
            installRecommended: true,
            updatedAt: clock(),
          });
        }
        store.clusters.delete(cluster.id);
        return {
          deleted: 1,
          membersMoved: target === null ? 0 : members.length,
          membersUnassigned: target === null ? members.length : 0,
        };
      });
      emit('all');
      return result;
    },
  };
}
