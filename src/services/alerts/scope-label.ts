// A scope (fleet, zone, cluster, server) named as people read it, and refused when what it names
// does not exist: a rule, route or silence for a deleted server must not be saved.
import type { ScopeLevel } from '../../contract/alerts';
import { DomainError } from '../../domain/errors';
import type { Store } from '../store/store';

export function scopeLabelOf(store: Store, scope: { level: ScopeLevel; id: string | null }, field = 'scope.id'): string {
  const missing = (what: string) =>
    new DomainError('not-found', `${what} ${scope.id ?? ''} does not exist (it may have been deleted).`, { field });
  switch (scope.level) {
    case 'fleet':
      return 'Fleet';
    case 'zone': {
      const zone = scope.id === null ? null : store.zones.get(scope.id);
      if (!zone) throw missing('Zone');
      return `zone ${zone.name}`;
    }
    case 'cluster': {
      const cluster = scope.id === null ? null : store.clusters.get(scope.id);
      if (!cluster) throw missing('Cluster');
      return `cluster ${cluster.name}`;
    }
    case 'server': {
      const server = scope.id === null ? null : store.servers.get(scope.id);
      if (!server) throw missing('Server');
      return `server ${server.alias}`;
    }
  }
}
