import { failoverPath } from '../../platform/failover';
import { indexFleet } from '../../platform/fleet-index';
import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'failover-target';

// Capacity failover hands calls over capacity to another member of the cluster. A target that is
// missing or outside the cluster does not do that; a clustered server without a target blocks.
// Members failing over to each other (A → B → A) is the usual set-up, not a finding here; the
// failover view shows such loops.

const WHY =
  'When a server reaches its CPS or channel capacity, capacity failover routes the next call to another server of its cluster; without a valid target in the same cluster, that call is blocked.';
const FIELD = 'config.capacityFailover.targetId';

export const failoverTarget: AdvisorRule = {
  id: ID,
  title: 'Capacity failover target missing or outside the cluster',
  check(fleet) {
    const index = indexFleet(fleet);
    const findings: Finding[] = [];
    for (const s of fleet.servers) {
      const path = failoverPath(s, fleet, undefined, index);
      for (const w of path.warnings) {
        if (w.code === 'target-missing' || w.code === 'target-outside-cluster') {
          findings.push({
            rule: ID,
            severity: 'error',
            servers: [refOf(s)],
            message: `${s.alias}: ${w.message}`,
            why: WHY,
            fix: "Choose another member of this server's cluster as the failover target.",
            field: FIELD,
          });
        }
      }
      const peers = s.clusterId !== null && index.members(s.clusterId).some((o) => o.id !== s.id);
      if (peers && !s.config.capacityFailover.enabled) {
        findings.push({
          rule: ID,
          severity: 'info',
          servers: [refOf(s)],
          message: `${s.alias} has no failover target although its cluster has other members.`,
          why: WHY,
          fix: 'Turn on Capacity Failover and pick another member of the cluster.',
          field: 'config.capacityFailover.enabled',
        });
      }
    }
    return findings;
  },
};
