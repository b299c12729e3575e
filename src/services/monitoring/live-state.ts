// What monitoring knows right now, in memory: the last probes of each server per kind (enough
// for the status window and a sparkline), each server's derived status, and what changed since
// the last push to the UI. Plain data in, plain data out; the service does the IO.
import type { ServerStatus } from '../../contract/fleet';
import { PROBE_KIND_SPEC } from '../../contract/probe-kinds';
import type { LastProbe, LatestEntry, LatestSummary, SamplesPush } from '../../contract/monitoring-methods';
import { deriveStatusOfRecent, type StatusReason, type StatusThresholds } from '../../domain/monitoring/status';
import { reachabilityOf, type Reachability } from '../../domain/monitoring/reachability';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';

/** Samples kept per server and kind: a sparkline of the last minutes at 5 s. */
export const SPARK_SAMPLES = 60;

export interface AdminView {
  adminState: 'running' | 'stopped';
  expiresAt: number | null;
}

export interface StatusChange {
  serverId: string;
  at: number;
  from: ServerStatus;
  to: ServerStatus;
  reason: string;
  /** A change to down: whether the host still answered ICMP. */
  reach: Reachability | null;
}

interface ServerLive {
  byKind: Map<ProbeKind, Sample[]>;
  status: ServerStatus;
  reason: string;
  addedSip: (number | null)[];
  addedIcmp: (number | null)[];
  /** Something the UI shows changed since the last push. */
  dirty: boolean;
  /** New samples since the status was last derived. */
  stale: boolean;
}

export function reasonText(reasons: readonly StatusReason[]): string {
  return reasons
    .map((r) => {
      const kind = PROBE_KIND_SPEC[r.kind].label;
      if (r.rule === 'consecutive-loss') return `${kind}: ${r.losses} lost in a row`;
      if (r.rule === 'loss') return `${kind}: ${Math.round(r.lossPct)} % loss`;
      if (r.rule === 'latency') return `${kind}: median ${r.medianMs >= 10 ? Math.round(r.medianMs) : r.medianMs.toFixed(2)} ms`;
      return `${kind} answers ${r.code}`;
    })
    .join('; ');
}

export class LiveState {
  readonly #servers = new Map<string, ServerLive>();
  #thresholds: StatusThresholds;

  constructor(thresholds: StatusThresholds) {
    this.#thresholds = thresholds;
  }

  setThresholds(thresholds: StatusThresholds): void {
    this.#thresholds = thresholds;
    for (const live of this.#servers.values()) live.stale = true;
  }

  has(serverId: string): boolean {
    return this.#servers.has(serverId);
  }

  /** Fills a server's window from stored history (after a restart), without marking anything new. */
  seed(serverId: string, samples: readonly Sample[]): void {
    const live = this.#live(serverId);
    for (const s of [...samples].sort((a, b) => a.at - b.at)) this.#keep(live, s);
    live.stale = true;
  }

  add(sample: Sample): void {
    const live = this.#live(sample.serverId);
    this.#keep(live, sample);
    if (sample.kind === 'sip-udp') live.addedSip.push(sample.rttMs);
    if (sample.kind === 'icmp') live.addedIcmp.push(sample.rttMs);
    live.dirty = true;
    live.stale = true;
  }

  forget(serverId: string): void {
    this.#servers.delete(serverId);
  }

  status(serverId: string): ServerStatus | undefined {
    return this.#servers.get(serverId)?.status;
  }

  /**
   * Re-derives the status of every server given (the ones with new samples, and any whose
   * admin state or expiry may have moved it) and returns the changes.
   */
  derive(servers: ReadonlyMap<string, AdminView>, now: number, all = false): StatusChange[] {
    const changes: StatusChange[] = [];
    for (const [id, admin] of servers) {
      const live = this.#live(id);
      const pausedNow = admin.adminState === 'stopped' || (admin.expiresAt !== null && now >= admin.expiresAt);
      const pausedBefore = live.status === 'stopped' || live.status === 'expired';
      // Paused servers are re-derived every time (cheap: stopped and expired are decided before
      // any sample is looked at), so stopped ⇄ expired and a resume are seen at once.
      if (!all && !live.stale && !pausedNow && !pausedBefore) continue;
      live.stale = false;
      // Each kind's list is kept in time order (#keep): the status reads it as it is, unsorted.
      const verdict = deriveStatusOfRecent({
        adminState: admin.adminState,
        expiresAt: admin.expiresAt,
        now,
        byKind: live.byKind,
        thresholds: this.#thresholds,
      });
      const reason = reasonText(verdict.reasons);
      if (verdict.status !== live.status) {
        const reach = reachabilityOf({ status: verdict.status, icmp: last(live.byKind.get('icmp') ?? []) });
        changes.push({ serverId: id, at: now, from: live.status, to: verdict.status, reason, reach });
      }
      if (verdict.status !== live.status || reason !== live.reason) live.dirty = true;
      live.status = verdict.status;
      live.reason = reason;
    }
    return changes;
  }

  summary(serverId: string): LatestSummary {
    const live = this.#live(serverId);
    const sip = live.byKind.get('sip-udp') ?? [];
    const icmp = live.byKind.get('icmp') ?? [];
    return {
      serverId,
      status: live.status,
      reason: live.reason,
      sip: last(sip),
      icmp: last(icmp),
      sipLossPct: this.#lossPct(sip),
      icmpLossPct: this.#lossPct(icmp),
    };
  }

  entry(serverId: string): LatestEntry {
    const live = this.#live(serverId);
    const rtts = (kind: ProbeKind) => (live.byKind.get(kind) ?? []).map((s) => s.rttMs);
    return { ...this.summary(serverId), sparkSip: rtts('sip-udp'), sparkIcmp: rtts('icmp') };
  }

  /** Everything that changed since the last call, and forgets it was new. */
  takeUpdates(): SamplesPush['updates'] {
    const out: SamplesPush['updates'] = [];
    for (const [id, live] of this.#servers) {
      if (!live.dirty) continue;
      out.push({ ...this.summary(id), addedSip: live.addedSip, addedIcmp: live.addedIcmp });
      live.addedSip = [];
      live.addedIcmp = [];
      live.dirty = false;
    }
    return out;
  }

  #lossPct(list: readonly Sample[]): number | null {
    // The last windowSamples, counted in place: this runs for every changed server every second.
    const n = Math.min(list.length, this.#thresholds.windowSamples);
    if (n === 0) return null;
    let lost = 0;
    for (let i = list.length - n; i < list.length; i += 1) if (list[i]?.rttMs === null) lost += 1;
    return (100 * lost) / n;
  }

  #keep(live: ServerLive, sample: Sample): void {
    const list = live.byKind.get(sample.kind) ?? [];
    list.push(sample);
    // Probes of one kind finish in order almost always; a late one is put in its place.
    for (let i = list.length - 1; i > 0 && (list[i - 1]?.at ?? 0) > sample.at; i -= 1)
      [list[i - 1], list[i]] = [list[i] as Sample, list[i - 1] as Sample];
    if (list.length > SPARK_SAMPLES) list.splice(0, list.length - SPARK_SAMPLES);
    live.byKind.set(sample.kind, list);
  }

  #live(serverId: string): ServerLive {
    let live = this.#servers.get(serverId);
    if (!live) {
      live = { byKind: new Map(), status: 'unknown', reason: '', addedSip: [], addedIcmp: [], dirty: true, stale: true };
      this.#servers.set(serverId, live);
    }
    return live;
  }
}

function last(list: readonly Sample[]): LastProbe | null {
  const s = list[list.length - 1];
  return s ? { rttMs: s.rttMs, code: s.code ?? null, at: s.at } : null;
}
