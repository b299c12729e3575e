// The overview wall's order: worst first (down, degraded, expired, unknown, stopped, online),
// then the highest loss, then the slowest SIP answer, then the address; so what needs attention is
// at the top whatever the fleet's size.
import type { ServerRow, ServerStatus } from '../../contract/fleet';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { ipSortKey } from './format';

const RANK: Record<ServerStatus, number> = { down: 0, degraded: 1, expired: 2, unknown: 3, stopped: 4, online: 5 };

export interface WallTile {
  server: ServerRow;
  status: ServerStatus;
  entry: LatestSummary | undefined;
}

/** Address order keys, worked out once per address string (the wall re-sorts at every live update). */
const ipKeys = new Map<string, string>();
function ipKey(ip: string): string {
  let key = ipKeys.get(ip);
  if (key === undefined) {
    if (ipKeys.size > 100_000) ipKeys.clear();
    key = ipSortKey(ip);
    ipKeys.set(ip, key);
  }
  return key;
}

/** Sorts `tiles` in place, worst first, and returns it. */
export function worstFirst(tiles: WallTile[]): WallTile[] {
  // Each tile's keys are read once, not at every comparison (10,000 tiles: ~130,000 comparisons).
  const keyed = tiles.map((t) => ({
    t,
    rank: RANK[t.status],
    loss: Math.max(t.entry?.sipLossPct ?? 0, t.entry?.icmpLossPct ?? 0),
    rtt: t.entry?.sip?.rttMs ?? -1,
    ip: ipKey(t.server.ip),
  }));
  keyed.sort((a, b) => a.rank - b.rank || b.loss - a.loss || b.rtt - a.rtt || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  for (let i = 0; i < keyed.length; i += 1) tiles[i] = (keyed[i] as (typeof keyed)[number]).t;
  return tiles;
}
