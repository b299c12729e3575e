import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule } from '../finding';

const ID = 'pending-update-without-auto-upgrade';

const WHY =
  'A pending update marks the server as stale. With Auto Upgrade on, the platform applies it by itself when the server is at zero channels; without it, the update waits until someone runs it.';

export const pendingUpdateManual: AdvisorRule = {
  id: ID,
  title: 'Pending update without Auto Upgrade',
  check(fleet) {
    return fleet.servers
      .filter((s) => s.updatePending && !s.config.autoUpgrade)
      .map((s) => ({
        rule: ID,
        severity: 'warning' as const,
        servers: [refOf(s)],
        message: `${s.alias} has a pending update and Auto Upgrade is off: it stays stale until the update is run.`,
        why: WHY,
        fix: 'Run Server Update when the server is idle, or turn on Auto Upgrade.',
        field: 'config.autoUpgrade',
      }));
  },
};
