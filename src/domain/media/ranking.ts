// Which media (RTP) zone adds the least latency to a call. With media proxied, the audio goes
// customer → RTP server → carrier instead of customer → carrier; what the detour costs is
// (customer ↔ RTP) + (RTP ↔ carrier) − (customer ↔ carrier). Every figure is a round trip as ping
// measures it, so the added figure is a round trip too. A zone counts by its best RTP server: the
// platform keeps several per zone for availability, and the call can use the nearest.

/** One ping's outcome from an RTP server (or the SIP server, for the direct figure) to one end. */
export interface PathFigure {
  /** Average round trip in ms; null when nothing answered or the ping could not run. */
  rttMs: number | null;
  lossPct: number | null;
  /** Why there is no figure (no answer, SSH refused), naming the server and the target. */
  error: string | null;
}

export interface RtpProbe {
  rtpId: string;
  alias: string;
  ip: string;
  zoneId: string;
  customer: PathFigure;
  carrier: PathFigure;
}

export interface ZoneInfo {
  id: string;
  name: string;
}

export interface ZoneRank {
  zoneId: string;
  zoneName: string;
  /** 1 for the zone adding the least; null when no RTP server of the zone gave both figures. */
  rank: number | null;
  /** The zone's best RTP server, whose figures these are. */
  via: { rtpId: string; alias: string; ip: string } | null;
  customerMs: number | null;
  carrierMs: number | null;
  /** customer ↔ RTP plus RTP ↔ carrier. */
  pathMs: number | null;
  /** pathMs minus the direct figure; null when the direct figure could not be measured. */
  addedMs: number | null;
  /** More than the best zone's path, in ms (0 for the best). */
  behindBestMs: number | null;
  /** The worse of the two paths' loss through the chosen server. */
  lossPct: number | null;
  servers: number;
  answered: number;
  /** Why the zone has no figure, or what to know about it (loss). */
  note: string | null;
}

export interface Ranking {
  zones: ZoneRank[];
  /** One sentence for the operator: which zone, and by how much. */
  verdict: string;
}

/** Differences below this are noise on any real path (and below the tools' own precision). */
export const LEVEL_MS = 0.5;

/** The reference's media server rule, in our words, shown beside every ranking. */
export const MEDIA_RULE =
  'Media should go through the zone that adds the least latency to the call: one near the customer or near the carrier, never one far from both. ' +
  'A customer in Bangalore calling a carrier in New York should have media in Bangalore or New York, not in London.';

export function formatMs(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function bestOf(probes: readonly RtpProbe[]): RtpProbe | null {
  let best: RtpProbe | null = null;
  let bestPath = Infinity;
  for (const p of probes) {
    if (p.customer.rttMs === null || p.carrier.rttMs === null) continue;
    const path = p.customer.rttMs + p.carrier.rttMs;
    if (path < bestPath) {
      best = p;
      bestPath = path;
    }
  }
  return best;
}

/** Ranks every zone that has RTP servers by the path through its best server, least first. */
export function rankMediaZones(probes: readonly RtpProbe[], zones: readonly ZoneInfo[], directMs: number | null): Ranking {
  const byZone = new Map<string, RtpProbe[]>();
  for (const p of probes) byZone.set(p.zoneId, [...(byZone.get(p.zoneId) ?? []), p]);
  const nameOf = (id: string) => zones.find((z) => z.id === id)?.name ?? id;

  const ranked: ZoneRank[] = [...byZone.entries()].map(([zoneId, members]) => {
    const best = bestOf(members);
    const answered = members.filter((m) => m.customer.rttMs !== null && m.carrier.rttMs !== null).length;
    const base = { zoneId, zoneName: nameOf(zoneId), rank: null, servers: members.length, answered, behindBestMs: null };
    if (best === null || best.customer.rttMs === null || best.carrier.rttMs === null) {
      const reasons = members.flatMap((m) => [m.customer.error, m.carrier.error]).filter((e): e is string => e !== null);
      return {
        ...base,
        via: null,
        customerMs: null,
        carrierMs: null,
        pathMs: null,
        addedMs: null,
        lossPct: null,
        note: reasons[0] ?? 'No RTP server of this zone gave both figures.',
      };
    }
    const pathMs = best.customer.rttMs + best.carrier.rttMs;
    const lossPct = Math.max(best.customer.lossPct ?? 0, best.carrier.lossPct ?? 0);
    return {
      ...base,
      via: { rtpId: best.rtpId, alias: best.alias, ip: best.ip },
      customerMs: best.customer.rttMs,
      carrierMs: best.carrier.rttMs,
      pathMs,
      addedMs: directMs === null ? null : pathMs - directMs,
      lossPct,
      note: lossPct > 0 ? `${best.alias} lost ${lossPct.toFixed(0)}% of its pings on the way.` : null,
    };
  });

  ranked.sort((a, b) => (a.pathMs ?? Infinity) - (b.pathMs ?? Infinity) || a.zoneName.localeCompare(b.zoneName));
  const bestPath = ranked[0]?.pathMs ?? null;
  let rank = 0;
  for (const z of ranked) {
    if (z.pathMs === null || bestPath === null) continue;
    z.rank = ++rank;
    z.behindBestMs = z.pathMs - bestPath;
  }
  return { zones: ranked, verdict: verdictOf(ranked, directMs) };
}

function verdictOf(zones: readonly ZoneRank[], directMs: number | null): string {
  const [first, second] = zones.filter((z) => z.rank !== null);
  if (!first || first.pathMs === null) return 'No zone could be measured: no RTP server answered both ends. See each zone for why.';
  const direct = formatMs(directMs ?? 0);
  // Internet routes are not a metric: a path through a well-placed media server can beat the direct one.
  const cost =
    first.addedMs === null
      ? `gives a ${formatMs(first.pathMs)} ms round trip customer → media → carrier`
      : first.addedMs <= -LEVEL_MS
        ? `adds nothing to the direct path (${direct} ms): its media path is ${formatMs(-first.addedMs)} ms shorter`
        : first.addedMs < LEVEL_MS
          ? `adds no measurable latency to the direct path (${direct} ms)`
          : `adds ${formatMs(first.addedMs)} ms round trip to the direct path (${direct} ms)`;
  const lead = `${first.zoneName} ${cost}, through ${first.via?.alias ?? 'its RTP server'}`;
  if (!second || second.behindBestMs === null) return `${lead}. It is the only zone that could be measured.`;
  if (second.behindBestMs < LEVEL_MS) return `${lead}; ${second.zoneName} is level with it (within ${LEVEL_MS} ms): either will do.`;
  return `${lead}, ${formatMs(second.behindBestMs)} ms less than ${second.zoneName}, the next best.`;
}

/** How far a chosen zone is behind the best in a ranking; null when either has no figure. */
export function behindBest(
  zones: readonly Pick<ZoneRank, 'zoneId' | 'pathMs'>[],
  zoneId: string,
): { behindMs: number; best: string } | null {
  const measured = zones.filter((z) => z.pathMs !== null);
  const chosen = measured.find((z) => z.zoneId === zoneId);
  const best = measured.reduce<(typeof measured)[number] | null>((b, z) => (b === null || (z.pathMs ?? 0) < (b.pathMs ?? 0) ? z : b), null);
  if (!chosen || !best || chosen.pathMs === null || best.pathMs === null) return null;
  return { behindMs: chosen.pathMs - best.pathMs, best: best.zoneId };
}
