// Live monitoring: keeps the probe scheduler in step with the fleet and the settings, writes
// samples in batches, derives each server's status, logs status changes, pushes throttled
// updates to the UI (at most one message of each kind per push interval, whatever the fleet
// size) and prunes old history. Started only by long-running hosts (`serve`, the desktop app).
import type { Settings } from '../../contract/app';
import type { ServerStatus } from '../../contract/fleet';
import { ServerStatus as ServerStatusSchema } from '../../contract/fleet';
import {
  RANGE_MS,
  type IcmpBackendInfo,
  type LatestEntry,
  type LatestSummary,
  type SamplesPush,
  type Series,
  type StatusChangedPush,
  type StatusEvent,
} from '../../contract/monitoring-methods';
import type { z } from 'zod';
import type { SeriesInput } from '../../contract/monitoring-methods';
import { notFound } from '../../domain/errors';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '../../domain/monitoring/status';
import type { Sample } from '../../domain/monitoring/sample';
import { closeChecks, createChecks, type CheckMap } from '../probes/checks';
import type { Clock, TimerHandle } from '../probes/clock';
import { createIcmpCheck, detectIcmpBackend, type IcmpBackend } from '../probes/icmp-backend';
import { SampleWriter } from '../probes/sample-writer';
import { ProbeScheduler, type MonitoredServer } from '../probes/scheduler';
import type { StatusEventRecord } from '../store/status-events-repo';
import type { Store } from '../store/store';
import { LiveState, SPARK_SAMPLES, type AdminView, type StatusChange } from './live-state';
import { sameProbing, toMonitored } from './monitored-server';

/** The status-change log is kept this long. */
const EVENTS_RETENTION_MS = 90 * 24 * 3_600_000;
/** How many times status is derived per push of the live values (see #armPush). */
const DERIVES_PER_PUSH = 4;

export interface MonitoringDeps {
  store: Store;
  settings: () => Settings;
  clock: Clock;
  /** Switchyard's version, for the SIP User-Agent. */
  version: string;
  log: (message: string) => void;
  onSamples: (payload: SamplesPush) => void;
  /** Whether anyone takes the samples push now; without it the updates are not built, only forgotten. */
  samplesWanted?: () => boolean;
  onStatusChanged: (payload: StatusChangedPush) => void;
  /** Every sample as it arrives, after it is queued for the store (alert rules, metrics). Must be cheap. */
  observeSample?: (sample: Sample) => void;
  /** Checks to use instead of the real ones (tests); the caller closes them. */
  checks?: CheckMap;
  /** The ICMP backend to use instead of detecting one. */
  icmp?: IcmpBackend;
  /** How often status is derived and updates are pushed. */
  pushEveryMs?: number;
  /** How often retention runs. */
  pruneEveryMs?: number;
  /**
   * The moment the fleet on show stands at: a snapshot's time while one is open, null for the live
   * fleet (the probes' clock). Ranges and idle status are read relative to it.
   */
  shownAt?: () => number | null;
}

interface Known {
  monitored: MonitoredServer;
  alias: string;
  ip: string;
}

export function thresholdsOf(settings: Settings): StatusThresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    maxLossPct: settings.statusMaxLossPct,
    maxLatencyMs: settings.statusMaxLatencyMs,
    downAfterLosses: settings.statusDownAfterLosses,
  };
}

/** A change worth a log line and a notification: not the first verdict on a healthy server, not a reset to unknown. */
function worthLogging(change: StatusChange): boolean {
  return change.to !== 'unknown' && !(change.from === 'unknown' && change.to === 'online');
}

export class MonitoringService {
  readonly #d: MonitoringDeps;
  readonly #known = new Map<string, Known>();
  readonly #admin = new Map<string, AdminView>();
  readonly #live: LiveState;
  #cached: Settings | null = null;
  #backend: IcmpBackend = { backend: 'none', path: null, version: null };
  #checks: CheckMap = {};
  #ownChecks = false;
  #scheduler: ProbeScheduler | null = null;
  #writer: SampleWriter | null = null;
  #pushTimer: TimerHandle | null = null;
  #deriveTick = 0;
  #pruneTimer: TimerHandle | null = null;
  #starting: Promise<void> | null = null;
  #running = false;
  #detected: Promise<IcmpBackend> | null = null;
  #closed = false;
  /** What the idle live state was read for (see #seedIdle); null when it must be read again. */
  #idleKey: string | null = null;

  constructor(deps: MonitoringDeps) {
    this.#d = deps;
    // Settings are read on first use: the fleet service that owns them is built after this one.
    this.#live = new LiveState(DEFAULT_THRESHOLDS);
  }

  get #settings(): Settings {
    this.#cached ??= this.#d.settings();
    return this.#cached;
  }

  /** True while probing (between start and stop). */
  get running(): boolean {
    return this.#running;
  }

  /** Detects the ICMP backend, builds the checks (once) and starts probing the fleet. */
  start(): Promise<void> {
    this.#starting ??= this.#start().finally(() => (this.#starting = null));
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.#running || this.#closed) return;
    const { clock, store } = this.#d;
    if (!this.#scheduler) {
      this.#backend = await this.#detect();
      if (this.#closed) return;
      this.#ownChecks = this.#d.checks === undefined;
      this.#checks = this.#d.checks ?? createChecks({ clock, version: this.#d.version, icmp: createIcmpCheck(this.#backend, clock) });
      this.#writer = new SampleWriter({
        sink: store.samples,
        clock,
        onError: (e) => this.#d.log(`[switchyard] writing samples failed: ${String(e)}`),
      });
      const settingsOf = () => this.#settings;
      this.#scheduler = new ProbeScheduler({
        checks: this.#checks,
        clock,
        onSample: (sample) => this.#onSample(sample),
        // Read at every probe, so a changed deadline applies from the next probe on.
        get deadlineMs() {
          return settingsOf().sipDeadlineMs;
        },
        defaultIntervalMs: this.#settings.probeIntervalSec * 1_000,
      });
    }
    this.#running = true;
    this.#idleKey = null;
    // What was known before a pause (a snapshot was open) may have changed meanwhile: start afresh.
    this.#known.clear();
    this.#admin.clear();
    this.#cached = this.#d.settings();
    this.#live.setThresholds(thresholdsOf(this.#cached));
    this.syncFleet();
    this.#scheduler.start();
    this.#writer?.start();
    this.#deriveTick = 0;
    this.#armPush();
    this.#armPrune();
  }

  /** Pauses probing (a snapshot is shown, or the host closes): waits for probes in flight and flushes their samples. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    if (!this.#running) return;
    this.#running = false;
    this.#idleKey = null;
    const { clock } = this.#d;
    if (this.#pushTimer) clock.clearTimer(this.#pushTimer);
    if (this.#pruneTimer) clock.clearTimer(this.#pruneTimer);
    this.#pushTimer = null;
    this.#pruneTimer = null;
    await this.#scheduler?.stop();
    this.#writer?.close();
  }

  /** Re-reads the fleet: new servers are probed, changed ones re-planned, deleted ones forgotten. */
  syncFleet(): void {
    this.#idleKey = null;
    const scheduler = this.#scheduler;
    if (!scheduler || !this.#running) return;
    const intervalMs = this.#settings.probeIntervalSec * 1_000;
    const icmp = this.#checks.icmp !== undefined;
    const seen = new Set<string>();
    // Handed to the scheduler together: slots are laid out once for the whole fleet, not per server.
    const changed: MonitoredServer[] = [];
    for (const server of this.#d.store.servers.list()) {
      seen.add(server.id);
      const monitored = toMonitored(server, intervalMs, icmp);
      const before = this.#known.get(server.id);
      this.#known.set(server.id, { monitored, alias: server.alias, ip: server.ip });
      this.#admin.set(server.id, { adminState: server.adminState, expiresAt: server.expiresAt });
      if (before && sameProbing(before.monitored, monitored)) continue;
      // A new address or new ports make the old window meaningless; so does a resumed server's.
      const moved =
        before !== undefined &&
        (before.monitored.host !== monitored.host ||
          before.monitored.adminState !== monitored.adminState ||
          before.monitored.ports.udp !== monitored.ports.udp);
      if (moved) this.#live.forget(server.id);
      if (!before) this.#seed(server.id, monitored);
      changed.push(monitored);
    }
    if (changed.length > 0) scheduler.upsertMany(changed);
    for (const id of [...this.#known.keys()]) {
      if (seen.has(id)) continue;
      scheduler.remove(id);
      this.#known.delete(id);
      this.#admin.delete(id);
      this.#live.forget(id);
      // Samples of the deleted server still waiting in the batch go first, then all its history.
      this.#writer?.flush();
      this.#d.store.samples.forgetServer(id);
    }
  }

  /** Writes the samples still waiting in the batch now (a snapshot then holds every sample shown). */
  flushSamples(): void {
    this.#writer?.flush();
  }

  /** Settings changed: thresholds, deadline and interval apply from now on. */
  reloadSettings(): void {
    this.#idleKey = null;
    const deadlineBefore = this.#cached?.sipDeadlineMs;
    this.#cached = this.#d.settings();
    this.#live.setThresholds(thresholdsOf(this.#cached));
    // Checks that pace themselves (fping) take the deadline when a target is watched, not at each
    // probe: a new deadline is handed to them by re-sending every server (slots keep their phase).
    if (this.#running && deadlineBefore !== undefined && deadlineBefore !== this.#cached.sipDeadlineMs) {
      this.#scheduler?.upsertMany([...this.#known.values()].map((known) => known.monitored));
    }
    this.syncFleet();
  }

  /** The live status of a running server, or null before monitoring knows it. */
  liveStatus(serverId: string): ServerStatus | null {
    if (!this.#running) return null;
    const status = this.#live.status(serverId);
    return status === undefined || status === 'unknown' ? null : status;
  }

  /** Last values and sparklines; in a host that does not probe, from stored history. */
  latest(serverIds?: readonly string[]): LatestEntry[] {
    if (!this.#running) this.#seedIdle();
    const ids = serverIds ?? [...this.#known.keys()];
    return ids.filter((id) => this.#known.has(id)).map((id) => this.#live.entry(id));
  }

  /** The same values without the sparklines (what a first paint needs; they follow per server). */
  latestSummaries(serverIds?: readonly string[]): LatestSummary[] {
    if (!this.#running) this.#seedIdle();
    const ids = serverIds ?? [...this.#known.keys()];
    return ids.filter((id) => this.#known.has(id)).map((id) => this.#live.summary(id));
  }

  /**
   * Without probing, the fleet's stored history is read into the live state once per fleet on
   * show (reading it costs two queries per server, far more than the call itself), and again only
   * when the fleet, the settings or the moment on show change. Status is derived at every call:
   * an expiry can pass while nothing else moves.
   */
  #seedIdle(): void {
    const key = String(this.#d.shownAt?.() ?? 'live');
    if (this.#idleKey !== key) {
      const icmp = true;
      this.#known.clear();
      this.#admin.clear();
      for (const server of this.#d.store.servers.list()) {
        const monitored = toMonitored(server, this.#settings.probeIntervalSec * 1_000, icmp);
        this.#known.set(server.id, { monitored, alias: server.alias, ip: server.ip });
        this.#admin.set(server.id, { adminState: server.adminState, expiresAt: server.expiresAt });
        this.#live.forget(server.id);
        this.#seed(server.id, monitored);
      }
      this.#idleKey = key;
    }
    this.#live.derive(this.#admin, this.#viewNow(), true);
  }

  #viewNow(): number {
    return this.#d.shownAt?.() ?? this.#d.clock.now();
  }

  series(input: z.output<typeof SeriesInput>): Series {
    // A vantage target that is not a fleet server (an RTP server, an added address) has history only.
    if (!this.#d.store.servers.get(input.serverId) && this.#d.store.samples.sourcesOf(input.serverId).length === 0)
      throw notFound('Server', input.serverId);
    const now = this.#viewNow();
    const to = input.range === undefined ? (input.to ?? now) : now;
    const from = input.range === undefined ? (input.from ?? now - RANGE_MS['1h']) : now - RANGE_MS[input.range];
    return this.#d.store.samples.series(input.serverId, input.kinds, from, to, input.maxPoints, input.source);
  }

  /** The ICMP tool probes use (or would use, in a host that does not probe). */
  async backend(): Promise<IcmpBackendInfo> {
    const backend = await this.#detect();
    return { backend: backend.backend, version: backend.version };
  }

  #detect(): Promise<IcmpBackend> {
    this.#detected ??= this.#d.icmp ? Promise.resolve(this.#d.icmp) : detectIcmpBackend();
    return this.#detected;
  }

  events(query: { serverId?: string | undefined; before?: number | undefined; limit: number }): StatusEvent[] {
    return this.#d.store.statusEvents
      .list({
        limit: query.limit,
        ...(query.serverId === undefined ? {} : { serverId: query.serverId }),
        ...(query.before === undefined ? {} : { before: query.before }),
      })
      .map(toContractEvent);
  }

  get stats() {
    return { scheduler: this.#scheduler?.stats ?? null, pendingSamples: this.#writer?.pending ?? 0, written: this.#writer?.written ?? 0 };
  }

  /** Stops for good: probing, sockets, the fping process; flushes the last samples. */
  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
    if (this.#ownChecks) await closeChecks(this.#checks);
    this.#checks = {};
  }

  #onSample(sample: Sample): void {
    // A probe of a server deleted while it was in flight: nothing to keep.
    if (!this.#running || !this.#known.has(sample.serverId)) return;
    this.#writer?.add(sample);
    this.#live.add(sample);
    this.#d.observeSample?.(sample);
  }

  #seed(id: string, monitored: MonitoredServer): void {
    const samples: Sample[] = [];
    for (const kind of monitored.kinds) samples.push(...this.#d.store.samples.recent(id, kind, SPARK_SAMPLES));
    if (samples.length > 0) this.#live.seed(id, samples);
  }

  /** Derives status, logs and pushes changes, then pushes changed values: one message each per interval. */
  flushUpdates(): void {
    this.#deriveStatus();
    if (this.#d.samplesWanted?.() === false) {
      this.#live.dropUpdates();
      return;
    }
    const updates = this.#live.takeUpdates().filter((u) => this.#known.has(u.serverId));
    if (updates.length > 0) this.#d.onSamples({ updates });
  }

  /** Derives the status of the servers with new samples; logs and pushes the changes. */
  #deriveStatus(): void {
    const now = this.#d.clock.now();
    const changes = this.#live.derive(this.#admin, now).filter(worthLogging);
    if (changes.length > 0) {
      const records = this.#d.store.statusEvents.append(
        changes.map((c) => ({
          serverId: c.serverId,
          alias: this.#known.get(c.serverId)?.alias ?? '',
          ip: this.#known.get(c.serverId)?.ip ?? '',
          at: c.at,
          from: c.from,
          to: c.to,
          reason: c.reason,
          reach: c.reach,
        })),
      );
      this.#d.onStatusChanged({ events: records.map(toContractEvent) });
    }
  }

  /**
   * Status is derived DERIVES_PER_PUSH times per push, the values pushed on the last: at 10,000
   * servers one derive of a second's changed servers (about 2,000) held the loop 10 to 20 ms, and
   * every probe due meanwhile left late. A quarter at a time, the wakes fall between.
   */
  #armPush(): void {
    if (!this.#running) return;
    this.#pushTimer = this.#d.clock.setTimer(
      () => {
        this.#pushTimer = null;
        this.#deriveTick = (this.#deriveTick + 1) % DERIVES_PER_PUSH;
        try {
          if (this.#deriveTick === 0) this.flushUpdates();
          else this.#deriveStatus();
        } catch (error) {
          this.#d.log(`[switchyard] monitoring update failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        this.#armPush();
      },
      (this.#d.pushEveryMs ?? 1_000) / DERIVES_PER_PUSH,
    );
  }

  #armPrune(): void {
    if (!this.#running) return;
    this.#pruneTimer = this.#d.clock.setTimer(() => {
      this.#pruneTimer = null;
      try {
        const now = this.#d.clock.now();
        this.#d.store.samples.prune(now);
        this.#d.store.statusEvents.prune(now - EVENTS_RETENTION_MS);
      } catch (error) {
        this.#d.log(`[switchyard] pruning history failed: ${String(error)}`);
      }
      this.#armPrune();
    }, this.#d.pruneEveryMs ?? 3_600_000);
  }
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(ServerStatusSchema.options);

function toContractEvent(e: StatusEventRecord): StatusEvent {
  // A stored word this version does not know reads as unknown (a plain lookup: this runs for
  // every status change, thousands at once when a large fleet starts).
  const status = (s: string): ServerStatus => (KNOWN_STATUSES.has(s) ? (s as ServerStatus) : 'unknown');
  const reach = e.reach === 'sip-down-host-up' || e.reach === 'unreachable' ? e.reach : null;
  return { ...e, from: status(e.from), to: status(e.to), reach };
}
