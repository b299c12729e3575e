import type { AdvisorMediaChoice } from '../../domain/advisor';
import type { Store } from '../store/store';

/** Each server's media zone beside its last Media path measurement, as the advisor reads them. */
export function mediaChoices(store: Pick<Store, 'media'>): AdvisorMediaChoice[] {
  const zoneOf = new Map(store.media.zones().map((z) => [z.serverId, z.zoneId]));
  return store.media.latestPerServer().flatMap((m) =>
    m.serverId === null || !zoneOf.has(m.serverId)
      ? []
      : [
          {
            serverId: m.serverId,
            mediaZoneId: zoneOf.get(m.serverId) ?? null,
            measuredAt: m.measuredAt,
            customer: m.customer,
            carrier: m.carrier,
            zones: m.zones.map((z) => ({ zoneId: z.zoneId, zoneName: z.zoneName, pathMs: z.pathMs })),
          },
        ],
  );
}
