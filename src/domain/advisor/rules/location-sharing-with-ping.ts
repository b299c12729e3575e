import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule } from '../finding';

const ID = 'location-sharing-with-uac-ping';

const WHY =
  "With UAC Location Array Sharing every sharing server learns the whole array's registrations and keeps pinging them every second, so NAT keepalive traffic multiplies with the number of servers. The platform advises disabling UAC ping when this setting is used; clustering is the recommended way to share registrations.";

export const locationSharingWithPing: AdvisorRule = {
  id: ID,
  title: 'UAC location array sharing with UAC ping on',
  check(fleet) {
    return fleet.servers
      .filter((s) => s.config.uacLocationSharing && !s.config.disableUacPing)
      .map((s) => ({
        rule: ID,
        severity: 'warning' as const,
        servers: [refOf(s)],
        message: `${s.alias} shares its location array with UAC ping still on.`,
        why: WHY,
        fix: 'Turn on Disable UAC Ping for this server, or cluster the servers instead of sharing locations.',
        field: 'config.disableUacPing',
      }));
  },
};
