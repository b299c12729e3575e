// How many servers of a group (a cluster, a zone, the RTP list) are up, degraded or down right
// now, from the live statuses. Pure: the pages hand in the servers, how to group them and each
// one's live status, and show the counts.
import type { ServerStatus } from '../../contract/fleet';

export type HealthBucket = 'up' | 'degraded' | 'down' | 'other';

/**
 * Where each status counts. Expired and stopped are the operator's or the contract's doing, not
 * the network's, so they are "other" with "not probed yet", as on the Overview. A Record, not a
 * switch: a new status does not compile until it is placed here.
 */
export const HEALTH_BUCKET: Record<ServerStatus, HealthBucket> = {
  online: 'up',
  degraded: 'degraded',
  down: 'down',
  expired: 'other',
  stopped: 'other',
  unknown: 'other',
};

export interface HealthCounts {
  up: number;
  degraded: number;
  down: number;
  /** Stopped, expired or not probed yet. */
  other: number;
  total: number;
}

export const emptyHealth = (): HealthCounts => ({ up: 0, degraded: 0, down: 0, other: 0, total: 0 });

/** Counts per group; an item whose group is null (an unclustered server) is left out. */
export function healthByGroup<T, K>(
  items: readonly T[],
  groupOf: (item: T) => K | null,
  statusOf: (item: T) => ServerStatus,
): Map<K, HealthCounts> {
  const out = new Map<K, HealthCounts>();
  for (const item of items) {
    const key = groupOf(item);
    if (key === null) continue;
    let counts = out.get(key);
    if (counts === undefined) {
      counts = emptyHealth();
      out.set(key, counts);
    }
    counts[HEALTH_BUCKET[statusOf(item)]] += 1;
    counts.total += 1;
  }
  return out;
}

/** One set of counts over all the items. */
export function healthOf<T>(items: readonly T[], statusOf: (item: T) => ServerStatus): HealthCounts {
  return healthByGroup(items, () => 'all', statusOf).get('all') ?? emptyHealth();
}

/**
 * An RTP server's status from the vantage points that ping it (the console does not probe RTP
 * servers itself): each source's newest sample, ignoring any older than `staleMs`. None fresh: not
 * probed; every one answered: online; none answered: down; some answered: degraded.
 */
export function statusFromVantage(
  lasts: readonly ({ at: number; rttMs: number | null } | null)[],
  now: number,
  staleMs: number,
): ServerStatus {
  const fresh = lasts.filter((l): l is { at: number; rttMs: number | null } => l !== null && now - l.at <= staleMs);
  if (fresh.length === 0) return 'unknown';
  const answered = fresh.filter((l) => l.rttMs !== null).length;
  if (answered === fresh.length) return 'online';
  return answered === 0 ? 'down' : 'degraded';
}
