import type { Ports } from '../../../contract/fleet';
import { groupBy } from '../../group-by';
import { indexFleet } from '../../platform/fleet-index';
import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'cluster-port-mismatch';

// Members of a cluster take each other's traffic, so a port changed on one member and not the
// others is almost always a change half made.

const WHY =
  "Cluster members share dialogs and traffic and stand in for each other; a peer or customer configured for the cluster's ports cannot reach the one member that listens elsewhere.";
const PROTOCOLS: (keyof Ports)[] = ['udp', 'tcp', 'tls'];

export const clusterPortMismatch: AdvisorRule = {
  id: ID,
  title: 'Ports differ within a cluster',
  check(fleet) {
    const index = indexFleet(fleet);
    const findings: Finding[] = [];
    for (const cluster of fleet.clusters) {
      const members = index.members(cluster.id);
      if (members.length < 2) continue;
      for (const proto of PROTOCOLS) {
        const counts = groupBy(members, (s) => s.config.ports[proto]);
        if (counts.size < 2) continue;
        // The value most members use is the cluster's; ties go to the lower port.
        const [common] = [...counts.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]!;
        const odd = members.filter((s) => s.config.ports[proto] !== common);
        findings.push({
          rule: ID,
          severity: 'warning',
          servers: odd.map(refOf),
          message: `${proto.toUpperCase()} port in cluster ${index.clusterName(cluster.id)}: ${odd.map((s) => `${s.alias} uses ${s.config.ports[proto]}`).join(', ')}; the other members use ${common}.`,
          why: WHY,
          fix: `Use the same ${proto.toUpperCase()} port on every member of the cluster, then Install Server.`,
          field: `config.ports.${proto}`,
        });
      }
    }
    return findings;
  },
};
