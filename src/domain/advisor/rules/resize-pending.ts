import { refOf } from '../../platform/fleet-shape';
import { isPending } from '../../platform/pending-resize';
import type { AdvisorRule } from '../finding';

const ID = 'resize-pending';

const WHY =
  'The reference: a resize "will be active in 15 minutes". Until then the server carries its previous channel count, so limits, failover fullness and these findings count that one.';

/** "in 12 min (at 14:32 UTC)": the advisor's words are plain text, so the time is given in UTC beside the wait. */
function when(activeAt: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((activeAt - now) / 60_000));
  return `in ${minutes} min (at ${new Date(activeAt).toISOString().slice(11, 16)} UTC)`;
}

export const resizePending: AdvisorRule = {
  id: ID,
  title: 'Resize pending',
  check(fleet, now) {
    const byId = new Map(fleet.servers.map((s) => [s.id, s]));
    return (fleet.resizes ?? [])
      .filter((r) => isPending(r, now) && byId.has(r.serverId))
      .map((r) => {
        const server = byId.get(r.serverId)!;
        return {
          rule: ID,
          severity: 'info' as const,
          servers: [refOf(server)],
          message: `${server.alias} was resized from ${r.previousChannels.toLocaleString('en-US')} to ${r.channels.toLocaleString('en-US')} channels, active ${when(r.activeAt, now)}; until then the limits and the advisor count ${r.previousChannels.toLocaleString('en-US')}.`,
          why: WHY,
          fix: 'Nothing to do: the new size applies by itself. Plan around the previous size until then.',
          field: 'channels',
        };
      });
  },
};
