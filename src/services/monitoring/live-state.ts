// What monitoring knows right now, in memory: the last probes of each server per kind (enough
// for the status window and a sparkline), each server's derived status, and what changed since
// the last push to the UI. Plain data in, plain data out; the service does the IO.
import type { ServerStatus } from '../../contract/fleet';
import { PROBE_KIND_SPEC } from '../../contract/probe-kinds';
import type { LastProbe, LatestEntry, LatestSummary, SamplesPush } from '../../contract/monitoring-methods';
import type { StatusReason, StatusThresholds, StatusVerdict } from '../../domain/monitoring/status';
import { reachabilityOf, type Reachability } from '../../domain/monitoring/reachability';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { verdictOfWindows, type KindRow } from './live-verdict';
import { ProbeWindows } from './probe-windows';

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
  /** The server's rows in the probe windows, one per kind, in the order each kind first came. */
  kinds: KindRow[];
  status: ServerStatus;
  reason: string;
  /**
   * SIP UDP and ICMP probes added since the last push: counts, not lists, so a probe costs no
   * allocation; the push reads the round trips from the window (the page keeps as many).
   */
  addedSip: number;
  addedIcmp: number;
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
  readonly #windows = new ProbeWindows(SPARK_SAMPLES);
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

  /** Probes kept, all servers and kinds (each kind of a server keeps at most SPARK_SAMPLES). */
  get kept(): number {
    let n = 0;
    for (const live of this.#servers.values()) for (const k of live.kinds) n += this.#windows.length(k.row);
    return n;
  }

  /** Bytes the kept probes' columns take. */
  get bytes(): number {
    return this.#windows.bytes;
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
    if (sample.kind === 'sip-udp') live.addedSip += 1;
    if (sample.kind === 'icmp') live.addedIcmp += 1;
    live.dirty = true;
    live.stale = true;
  }

  forget(serverId: string): void {
    const live = this.#servers.get(serverId);
    if (!live) return;
    for (const k of live.kinds) this.#windows.release(k.row);
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
      const verdict: StatusVerdict =
        admin.adminState === 'stopped'
          ? { status: 'stopped', reasons: [] }
          : pausedNow
            ? { status: 'expired', reasons: [] }
            : verdictOfWindows(this.#windows, live.kinds, this.#thresholds);
      const reason = verdict.reasons.length === 0 ? '' : reasonText(verdict.reasons);
      if (verdict.status !== live.status) {
        const reach = reachabilityOf({ status: verdict.status, icmp: this.#last(live, 'icmp') });
        changes.push({ serverId: id, at: now, from: live.status, to: verdict.status, reason, reach });
      }
      if (verdict.status !== live.status || reason !== live.reason) live.dirty = true;
      live.status = verdict.status;
      live.reason = reason;
    }
    return changes;
  }

  summary(serverId: string): LatestSummary {
    return this.#summaryOf(serverId, this.#live(serverId));
  }

  entry(serverId: string): LatestEntry {
    const live = this.#live(serverId);
    const rtts = (kind: ProbeKind) => {
      const row = rowOf(live, kind);
      const out: (number | null)[] = [];
      if (row !== undefined) for (let i = 0; i < this.#windows.length(row); i += 1) out.push(this.#windows.rtt(row, i));
      return out;
    };
    return { ...this.#summaryOf(serverId, live), sparkSip: rtts('sip-udp'), sparkIcmp: rtts('icmp') };
  }

  /** Everything that changed since the last call, and forgets it was new. */
  takeUpdates(): SamplesPush['updates'] {
    const out: SamplesPush['updates'] = [];
    for (const [serverId, live] of this.#servers) {
      if (!live.dirty) continue;
      out.push({
        ...this.#summaryOf(serverId, live),
        addedSip: this.#newest(live, 'sip-udp', live.addedSip),
        addedIcmp: this.#newest(live, 'icmp', live.addedIcmp),
      });
      live.addedSip = 0;
      live.addedIcmp = 0;
      live.dirty = false;
    }
    return out;
  }

  #summaryOf(serverId: string, live: ServerLive): LatestSummary {
    return {
      serverId,
      status: live.status,
      reason: live.reason,
      sip: this.#last(live, 'sip-udp'),
      icmp: this.#last(live, 'icmp'),
      sipLossPct: this.#lossPct(live, 'sip-udp'),
      icmpLossPct: this.#lossPct(live, 'icmp'),
    };
  }

  /** Forgets what changed without building the updates (nobody takes the push now). */
  dropUpdates(): void {
    for (const live of this.#servers.values()) {
      live.addedSip = 0;
      live.addedIcmp = 0;
      live.dirty = false;
    }
  }

  /**
   * The round trips of a kind's newest `count` probes (at most a window's), oldest first. A probe
   * that finished after a later one (rare) is sent as the newest it displaced instead; the page's
   * sparkline is read whole again when it is next opened.
   */
  #newest(live: ServerLive, kind: ProbeKind, count: number): (number | null)[] {
    const row = rowOf(live, kind);
    if (row === undefined || count === 0) return [];
    const len = this.#windows.length(row);
    const out: (number | null)[] = [];
    for (let i = Math.max(0, len - count); i < len; i += 1) out.push(this.#windows.rtt(row, i));
    return out;
  }

  #last(live: ServerLive, kind: ProbeKind): LastProbe | null {
    const row = rowOf(live, kind);
    const len = row === undefined ? 0 : this.#windows.length(row);
    if (row === undefined || len === 0) return null;
    const w = this.#windows;
    return { rttMs: w.rtt(row, len - 1), code: w.code(row, len - 1) ?? null, at: w.at(row, len - 1) };
  }

  #lossPct(live: ServerLive, kind: ProbeKind): number | null {
    // The last windowSamples, counted in place: this runs for every changed server every second.
    const row = rowOf(live, kind);
    if (row === undefined) return null;
    const len = this.#windows.length(row);
    const n = Math.min(len, this.#thresholds.windowSamples);
    if (n === 0) return null;
    let lost = 0;
    for (let i = len - n; i < len; i += 1) if (this.#windows.rtt(row, i) === null) lost += 1;
    return (100 * lost) / n;
  }

  #keep(live: ServerLive, sample: Sample): void {
    let row = rowOf(live, sample.kind);
    if (row === undefined) {
      row = this.#windows.open();
      live.kinds.push({ kind: sample.kind, row });
    }
    this.#windows.add(row, sample.at, sample.rttMs, sample.code);
  }

  #live(serverId: string): ServerLive {
    let live = this.#servers.get(serverId);
    if (!live) {
      live = { kinds: [], status: 'unknown', reason: '', addedSip: 0, addedIcmp: 0, dirty: true, stale: true };
      this.#servers.set(serverId, live);
    }
    return live;
  }
}

function rowOf(live: ServerLive, kind: ProbeKind): number | undefined {
  for (const k of live.kinds) if (k.kind === kind) return k.row;
  return undefined;
}
