import { failoverPath, loadState } from '../../platform/failover';
import { indexFleet } from '../../platform/fleet-index';
import { refOf, type PlatformServer } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'capacity-in-use';

// Measured use against each server's limits: the channels in use and the calls per second the load
// poll read from Kamailio. A server at a limit blocks its next call unless capacity failover hands
// it to a member of its cluster with room; one close to a limit is about to.

/** At or above this share of a limit a server is "near" it. */
export const NEAR_CAPACITY = 0.8;

const WHY =
  'The reference: when the CPS or Channels limit of a server is reached, capacity failover routes the next call to another server of its cluster; without one that has room, the call is blocked.';

// What `toLocaleString('en-US', …)` gives, from one formatter rather than one built per number.
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format;

function measured(s: PlatformServer, active: number | null, cps: number | null): string {
  const parts: string[] = [];
  if (active !== null) parts.push(`${fmt(active)} of ${fmt(s.channels)} channels in use`);
  if (cps !== null) parts.push(`${fmt(cps)} of ${fmt(s.cps)} calls per second`);
  return parts.join(', ');
}

export const capacityInUse: AdvisorRule = {
  id: ID,
  title: 'Server at or near its channel or CPS limit',
  check(fleet) {
    const loads = fleet.loads;
    if (!loads) return [];
    const index = indexFleet(fleet);
    const findings: Finding[] = [];
    for (const s of fleet.servers) {
      const load = loadState(s, loads);
      const { active, cps } = load;
      if (active === null && cps === null) continue;
      const field =
        load.reached.includes('cps') ||
        (cps !== null && cps >= s.cps * NEAR_CAPACITY && !(active !== null && active >= s.channels * NEAR_CAPACITY))
          ? 'cps'
          : 'channels';
      if (load.state === 'full') {
        const path = failoverPath(s, fleet, loads, index);
        const target = path.chain[1];
        const blocked = path.warnings.find((w) => w.code !== 'loop' && w.code !== 'target-load-unknown');
        const unknown = path.warnings.find((w) => w.code === 'target-load-unknown');
        findings.push({
          rule: ID,
          severity: blocked ? 'error' : 'warning',
          servers: [refOf(s)],
          message: blocked
            ? `${s.alias} is at capacity (${measured(s, active, cps)}): ${blocked.message}`
            : `${s.alias} is at capacity (${measured(s, active, cps)}); its overflow goes to ${target?.alias ?? 'its failover target'}${unknown ? `, ${unknown.message.charAt(0).toLowerCase()}${unknown.message.slice(1)}` : '.'}`,
          why: WHY,
          fix: blocked
            ? 'Resize Capacity or raise the CPS limit, or turn on Capacity Failover to a member of the cluster that has room.'
            : 'Resize Capacity or raise the CPS limit before the failover target fills up too.',
          field: blocked && blocked.code === 'no-target' && path.clusterId !== null ? 'config.capacityFailover.enabled' : field,
        });
        continue;
      }
      const nearChannels = active !== null && active >= s.channels * NEAR_CAPACITY;
      const nearCps = cps !== null && cps >= s.cps * NEAR_CAPACITY;
      if (!nearChannels && !nearCps) continue;
      findings.push({
        rule: ID,
        severity: 'warning',
        servers: [refOf(s)],
        message: `${s.alias} is near capacity: ${measured(s, nearChannels ? active : null, nearCps ? cps : null)} (${Math.round(NEAR_CAPACITY * 100)} % or more).`,
        why: WHY,
        fix: 'Resize Capacity or raise the CPS limit, or make sure capacity failover has a target with room.',
        field,
      });
    }
    return findings;
  },
};
