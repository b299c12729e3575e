import { formatMs } from '../../media/ranking';
import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule } from '../finding';

const ID = 'media-zone-detour';

/**
 * How much more than the best zone a chosen zone may add before it is worth a finding: below this,
 * a caller does not hear the difference and jitter between runs is of the same order.
 */
export const MEDIA_DETOUR_MARGIN_MS = 20;

const WHY =
  'The platform routes media through the zone chosen for the server. Media should go through the zone that adds the least latency to the call, near the customer or near the carrier; every millisecond of detour is heard as delay by both parties.';

export const mediaZoneDetour: AdvisorRule = {
  id: ID,
  title: 'Media zone adds much more latency than the best',
  check(fleet) {
    const byId = new Map(fleet.servers.map((s) => [s.id, s]));
    return (fleet.media ?? []).flatMap((m) => {
      const server = byId.get(m.serverId);
      if (!server || m.mediaZoneId === null) return [];
      const measured = m.zones.filter((z) => z.pathMs !== null);
      const chosen = measured.find((z) => z.zoneId === m.mediaZoneId);
      const best = measured.reduce<(typeof measured)[number] | null>(
        (b, z) => (b === null || (z.pathMs ?? 0) < (b.pathMs ?? 0) ? z : b),
        null,
      );
      if (!chosen || !best || chosen.pathMs === null || best.pathMs === null) return [];
      const behind = chosen.pathMs - best.pathMs;
      if (behind < MEDIA_DETOUR_MARGIN_MS) return [];
      return [
        {
          rule: ID,
          severity: 'warning' as const,
          servers: [refOf(server)],
          message: `${server.alias}'s media zone ${chosen.zoneName} adds ${formatMs(behind)} ms more round trip than ${best.zoneName}, the best zone measured (customer ${m.customer}, carrier ${m.carrier}).`,
          why: WHY,
          fix: `Use ${best.zoneName} as the media zone of ${server.alias} (Media path tool or Server Config), or measure again if the customer or carrier has changed.`,
          field: 'config.mediaZone',
        },
      ];
    });
  },
};
