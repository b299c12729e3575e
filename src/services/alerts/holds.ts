// Which servers' notifications are held right now, and why: a maintenance (the console's own
// action on it, plus grace) or a silence on the server, its cluster, its zone or the fleet.
// Read from SQLite at every refresh, so a silence set from the CLI in another process counts
// within a second.
import type { Hold } from '../../contract/alerts';
import type { StoredMaintenance, StoredSilence } from '../store/holds-repo';
import type { Store } from '../store/store';

export interface ServerPlace {
  zoneId: string;
  clusterId: string | null;
}

function maintenanceHold(m: StoredMaintenance): Hold {
  return { kind: 'maintenance', id: m.id, until: m.endsAt, reason: m.reason, by: m.createdBy };
}

function silenceHold(s: StoredSilence): Hold {
  return { kind: 'silence', id: s.id, until: s.endsAt, reason: s.reason, by: s.createdBy };
}

export class HoldIndex {
  #maintenance = new Map<string, Hold>();
  #silences = new Map<string, Hold>();
  #fleet: Hold | null = null;
  /** Whether any silence is on a cluster or zone: only then is a server's place looked up. */
  #scoped = false;
  #signature = '';

  constructor(
    private readonly store: Pick<Store, 'holds'>,
    private readonly placeOf: (serverId: string) => ServerPlace | null,
  ) {}

  /** Re-reads the holds; true when they changed since the last refresh. */
  refresh(now: number): boolean {
    const maintenance = this.store.holds.activeMaintenance(now);
    const silences = this.store.holds.activeSilences(now);
    this.#maintenance.clear();
    this.#silences.clear();
    this.#fleet = null;
    this.#scoped = silences.some((s) => s.level === 'cluster' || s.level === 'zone');
    // Of several at once, the one that lasts longest is shown (a run still going has no end yet).
    for (const m of maintenance) {
      const before = this.#maintenance.get(m.serverId);
      if (!before || later(m.endsAt, before.until)) this.#maintenance.set(m.serverId, maintenanceHold(m));
    }
    for (const s of silences) {
      const key = s.level === 'fleet' ? null : `${s.level}:${s.scopeId ?? ''}`;
      if (key === null) {
        if (!this.#fleet || later(s.endsAt, this.#fleet.until)) this.#fleet = silenceHold(s);
        continue;
      }
      const before = this.#silences.get(key);
      if (!before || later(s.endsAt, before.until)) this.#silences.set(key, silenceHold(s));
    }
    const signature = [...maintenance.map((m) => `m${m.id}:${m.endsAt ?? ''}`), ...silences.map((s) => `s${s.id}:${s.endsAt}`)].join(',');
    const changed = signature !== this.#signature;
    this.#signature = signature;
    return changed;
  }

  /** The hold on a server (maintenance before silences, the narrowest silence first); for an alert with no server, a fleet silence. */
  of(serverId: string | null): Hold | null {
    if (serverId === null) return this.#fleet;
    const maintenance = this.#maintenance.get(serverId);
    if (maintenance) return maintenance;
    const direct = this.#silences.get(`server:${serverId}`);
    if (direct) return direct;
    const place = this.#scoped ? this.placeOf(serverId) : null;
    if (place) {
      const cluster = place.clusterId === null ? undefined : this.#silences.get(`cluster:${place.clusterId}`);
      if (cluster) return cluster;
      const zone = this.#silences.get(`zone:${place.zoneId}`);
      if (zone) return zone;
    }
    return this.#fleet;
  }

  /** Every held server among `serverIds`, by id. */
  map(serverIds: Iterable<string>): Record<string, Hold> {
    const out: Record<string, Hold> = {};
    for (const id of serverIds) {
      const hold = this.of(id);
      if (hold) out[id] = hold;
    }
    return out;
  }
}

/** null (no end yet) outlasts any time. */
function later(a: number | null, b: number | null): boolean {
  if (b === null) return false;
  if (a === null) return true;
  return a > b;
}
