import { groupBy } from '../../group-by';
import { refOf, type PlatformServer } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'unclustered-load-balancing';

// Servers that share traffic (Dispatchers, or several switches in one zone) apply a customer's
// limits each on their own unless clustered: 10 CPS becomes 10 per server.

const WHY =
  "Outside a cluster each server enforces a customer's CPS and channel limits on its own, so servers sharing traffic multiply them: a customer allowed 10 CPS gets 10 through each server, 20 through two. Clustered servers share the limit (10 in total) and their registrations.";

export const unclusteredLoadBalancing: AdvisorRule = {
  id: ID,
  title: 'Load-balancing servers outside a cluster',
  check(fleet) {
    const lone = fleet.servers.filter((s) => s.clusterId === null);
    const groups: { label: string; servers: PlatformServer[] }[] = [];
    const dispatchers = lone.filter((s) => s.type === 'dispatcher');
    if (dispatchers.length > 1) groups.push({ label: `${dispatchers.length} Dispatchers`, servers: dispatchers });
    const byZone = groupBy(
      lone.filter((x) => x.type === 'switch'),
      (s) => s.zoneId,
    );
    for (const members of byZone.values())
      if (members.length > 1) groups.push({ label: `${members.length} switches in one zone`, servers: members });
    return groups.map((g): Finding => ({
      rule: ID,
      severity: 'warning',
      servers: g.servers.map(refOf),
      message: `${g.label} share traffic but are in no cluster: each applies a customer's limits separately, ${g.servers.length}× the allowed CPS and channels.`,
      why: WHY,
      fix: 'Put these servers in one cluster (Server Config → Cluster).',
      field: 'clusterId',
    }));
  },
};
