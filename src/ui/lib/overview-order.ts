// The overview wall's order: worst first (down, degraded, expired, unknown, stopped, online),
// then the highest loss, then the slowest SIP answer, then the IP; so what needs attention is
// at the top whatever the fleet's size.
import type { Server, ServerStatus } from '../../contract/fleet';
import type { LatestEntry } from '../../contract/monitoring-methods';

const RANK: Record<ServerStatus, number> = { down: 0, degraded: 1, expired: 2, unknown: 3, stopped: 4, online: 5 };

export interface WallTile {
  server: Server;
  status: ServerStatus;
  entry: LatestEntry | undefined;
}

export function worstFirst(tiles: WallTile[]): WallTile[] {
  const loss = (t: WallTile) => Math.max(t.entry?.sipLossPct ?? 0, t.entry?.icmpLossPct ?? 0);
  const rtt = (t: WallTile) => t.entry?.sip?.rttMs ?? -1;
  return tiles.sort(
    (a, b) => RANK[a.status] - RANK[b.status] || loss(b) - loss(a) || rtt(b) - rtt(a) || a.server.ip.localeCompare(b.server.ip),
  );
}
