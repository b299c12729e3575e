// The vantage points of the fleet: settings, one VantageStream per vantage server while the host
// runs its background work, their samples written in batches like the workstation's own, and a
// status that says for each server what it is doing and why. The streams follow the fleet and
// the settings: a stream whose plan changed (targets, period) is restarted, the others run on.
import type { SourceOption, VantageSettings, VantageSourceStatus, VantageStatus, VantageTarget } from '../../contract/vantage-methods';
import { DomainError, invalid } from '../../domain/errors';
import { LOCAL_SOURCE, type Sample } from '../../domain/monitoring/sample';
import { planKey, planVantage, type PlanTarget, type SourcePlan } from '../../domain/vantage/plan';
import { checkTarget } from '../../domain/tools/target';
import { SampleWriter } from '../probes/sample-writer';
import type { Clock } from '../probes/clock';
import type { Store } from '../store/store';
import type { PooledConnection } from '../ssh/pool';
import { VantageStream, type StreamStatus } from './vantage-stream';

export interface VantageServiceDeps {
  store: Store;
  clock: Clock;
  /** A pooled, verified connection to a fleet server (the host's SSH pool). */
  acquire(serverId: string, signal: AbortSignal): Promise<PooledConnection>;
  /** Words for a host-key prompt waiting on this server, or null. */
  hostKeyWaiting(serverId: string): string | null;
  onStatus(status: Omit<VantageSourceStatus, 'targets'>): void;
  /** Each sample as it arrives (alerts, metrics may listen). */
  observeSample?(sample: Sample): void;
  log(message: string): void;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How often settings saved by another process are looked for. */
  settingsCheckMs?: number;
}

/** Three missed records (every 5 s) and the stored state is no longer taken as current. */
const STALE_MS = 20_000;

interface Running {
  stream: VantageStream;
  key: string;
  plan: SourcePlan;
}

export class VantageService {
  readonly #d: VantageServiceDeps;
  readonly #streams = new Map<string, Running>();
  #writer: SampleWriter | null = null;
  #running = false;
  /** Syncs run one after another, so two quick saves never start two streams for one server. */
  #sync: Promise<void> = Promise.resolve();
  /** The settings last applied, to notice a change saved by another process (the CLI). */
  #applied = '';
  #watch: ReturnType<typeof setInterval> | undefined;

  constructor(deps: VantageServiceDeps) {
    this.#d = deps;
  }

  get running(): boolean {
    return this.#running;
  }

  settings(): VantageSettings {
    return this.#d.store.vantage.settings();
  }

  /** Checks every field first and saves all or nothing; failed streams are tried again. */
  saveSettings(next: VantageSettings): VantageSettings {
    const seen = new Set<string>();
    next.targets.forEach((t, i) => {
      const check = checkTarget(t.address);
      if (!check.ok) throw invalid(`targets.${i}.address`, `Extra target ${i + 1} (${t.label}): ${check.reason}`);
      const key = check.target.text.toLowerCase();
      if (seen.has(key))
        throw new DomainError('conflict', `Extra target ${i + 1} (${t.label}): ${t.address} is already in the list.`, {
          field: `targets.${i}.address`,
        });
      seen.add(key);
    });
    next.chosen.forEach((id, i) => {
      if (this.#d.store.servers.get(id) === null) throw invalid(`chosen.${i}`, `The chosen vantage server ${id} is not in the fleet.`);
    });
    if (next.enabled && next.sources === 'chosen' && next.chosen.length === 0)
      throw invalid('chosen', 'Choose at least one server to probe from, or use the dispatchers.');
    // Stored as checked: an IPv6 address in its canonical form, so the same address is one target.
    const normalized = {
      ...next,
      targets: next.targets.map((t) => {
        const c = checkTarget(t.address);
        return { address: c.ok ? c.target.text : t.address, label: t.label };
      }),
    };
    this.#d.store.vantage.save(normalized);
    this.resync(true);
    return this.settings();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#writer = new SampleWriter({
      sink: this.#d.store.samples,
      clock: this.#d.clock,
      onError: (e) => this.#d.log(`[switchyard] writing vantage samples failed: ${String(e)}`),
    });
    this.#writer.start();
    this.resync();
    // `switchyard vantage set` writes the same database from another process: look every few seconds.
    // The counters a one-shot `vantage status` shows are written at the same pace.
    this.#watch = setInterval(() => {
      if (JSON.stringify(this.settings()) !== this.#applied) this.resync();
      for (const running of this.#streams.values()) this.#record(running.plan.serverId, running.stream.status);
    }, this.#d.settingsCheckMs ?? 5_000);
    this.#watch.unref();
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearInterval(this.#watch);
    await this.#sync;
    await Promise.all([...this.#streams.values()].map((r) => r.stream.stop()));
    this.#streams.clear();
    this.#writer?.close();
    this.#writer = null;
  }

  /** Follows the fleet and settings; `retryFailed` restarts streams that gave up, plan unchanged or not. */
  resync(retryFailed = false): void {
    this.#sync = this.#sync
      .then(() => this.#apply(retryFailed))
      .catch((e: unknown) => this.#d.log(`[switchyard] vantage sync failed: ${String(e)}`));
  }

  /** Resolves once the syncs asked for so far are done (tests, shutdown). */
  settled(): Promise<void> {
    return this.#sync;
  }

  async #apply(retryFailed: boolean): Promise<void> {
    if (!this.#running) return;
    const settings = this.settings();
    this.#applied = JSON.stringify(settings);
    const plans = this.#plans(settings);
    const intervalMs = settings.intervalSec * 1_000;
    const wanted = new Map(plans.map((p) => [p.serverId, p]));
    const stops: Promise<void>[] = [];
    for (const [id, running] of this.#streams) {
      const plan = wanted.get(id);
      const stale =
        plan === undefined || planKey(plan, intervalMs) !== running.key || (retryFailed && running.stream.status.state === 'failed');
      if (stale) {
        this.#streams.delete(id);
        stops.push(running.stream.stop());
      }
    }
    await Promise.all(stops);
    for (const id of [...this.#d.store.vantage.states().map((s) => s.sourceId)])
      if (!wanted.has(id))
        this.#d.store.vantage.putState({ sourceId: id, state: 'stopped', reason: '', since: this.#d.clock.now(), detail: {} });
    if (!this.#running) return;
    for (const plan of plans) {
      if (this.#streams.has(plan.serverId)) continue;
      const server = this.#d.store.servers.get(plan.serverId);
      if (server === null) continue;
      const source = { id: server.id, alias: server.alias, ip: server.ip };
      const stream = new VantageStream({
        source,
        targets: plan.targets,
        intervalMs,
        acquire: (signal) => this.#d.acquire(server.id, signal),
        hostKeyWaiting: () => this.#d.hostKeyWaiting(server.id),
        onSample: (sample) => {
          this.#writer?.add(sample);
          this.#d.observeSample?.(sample);
        },
        onStatus: (status) => this.#onStatus(source, status),
        now: () => this.#d.clock.now(),
        ...(this.#d.backoffBaseMs === undefined ? {} : { backoffBaseMs: this.#d.backoffBaseMs }),
        ...(this.#d.backoffMaxMs === undefined ? {} : { backoffMaxMs: this.#d.backoffMaxMs }),
      });
      this.#streams.set(plan.serverId, { stream, key: planKey(plan, intervalMs), plan });
      stream.start();
    }
  }

  #plans(settings: VantageSettings): SourcePlan[] {
    return planVantage(settings, this.#d.store.servers.list(), this.#d.store.rtp.list(), this.#d.store.vantage.targets());
  }

  #onStatus(source: { id: string; alias: string; ip: string }, status: StreamStatus): void {
    const { remotePid: _pid, sipPid: _sipPid, ...rest } = status;
    void _pid;
    void _sipPid;
    const entry = { serverId: source.id, alias: source.alias, ip: source.ip, live: true, ...rest };
    this.#record(source.id, status);
    this.#d.onStatus(entry);
  }

  #record(sourceId: string, status: StreamStatus): void {
    const { remotePid: _pid, sipPid: _sipPid, ...rest } = status;
    void _pid;
    void _sipPid;
    try {
      this.#d.store.vantage.putState({
        sourceId,
        state: status.state,
        reason: status.reason,
        since: status.since,
        detail: { ...rest, recordedAt: this.#d.clock.now() },
      });
    } catch (error) {
      // The store closes before a last stop's status (shutdown): the state is not worth a crash.
      this.#d.log(`[switchyard] recording the vantage state of ${sourceId} failed: ${String(error)}`);
    }
  }

  /** The running stream's status (tests end its remote fping by this pid). */
  streamOf(serverId: string): StreamStatus | null {
    return this.#streams.get(serverId)?.stream.status ?? null;
  }

  /** Every vantage server of the plan: live state when this host streams, else what the host last stored. */
  status(): VantageStatus {
    const settings = this.settings();
    const stored = new Map(this.#d.store.vantage.states().map((s) => [s.sourceId, s]));
    const sources = this.#plans(settings).flatMap((plan): VantageSourceStatus[] => {
      const server = this.#d.store.servers.get(plan.serverId);
      if (server === null) return [];
      const latest = this.#d.store.samples.latestBySource(server.id);
      const last = new Map(latest.filter((s) => s.kind === 'icmp').map((s) => [s.serverId, s]));
      const lastSip = new Map(latest.filter((s) => s.kind === 'sip-udp').map((s) => [s.serverId, s]));
      const targets = plan.targets.map((t: PlanTarget): VantageTarget => {
        const s = last.get(t.id);
        const sip = t.sipPort === null ? undefined : lastSip.get(t.id);
        return {
          ...t,
          last: s ? { at: s.at, rttMs: s.rttMs } : null,
          lastSip: sip ? { at: sip.at, rttMs: sip.rttMs, code: sip.code ?? null } : null,
        };
      });
      const running = this.#streams.get(server.id)?.stream.status;
      const base = { serverId: server.id, alias: server.alias, ip: server.ip, targets };
      if (running) {
        const { remotePid: _pid, sipPid: _sipPid, ...rest } = running;
        void _pid;
        void _sipPid;
        return [{ ...base, ...rest, live: true }];
      }
      const saved = stored.get(server.id);
      const detail = (saved?.detail ?? {}) as Partial<StreamStatus> & { recordedAt?: number };
      // The running host records every few seconds: a record much older than that is a host that
      // stopped or died, and its last word ("streaming") must not be shown as now.
      const stale =
        saved !== undefined &&
        saved.state !== 'stopped' &&
        (typeof detail.recordedAt !== 'number' || this.#d.clock.now() - detail.recordedAt > STALE_MS);
      return [
        {
          ...base,
          state: stale ? 'stopped' : (saved?.state ?? 'stopped'),
          reason: stale
            ? `No host has reported this stream since ${new Date(detail.recordedAt ?? saved.since).toISOString()} (it said: ${saved.state}). Vantage probes run in \`switchyard serve\` or the desktop app.`
            : (saved?.reason ??
              (this.#running
                ? ''
                : 'Vantage probes run in `switchyard serve` or the desktop app; this shows what that host last recorded.')),
          since: saved?.since ?? 0,
          attempt: typeof detail.attempt === 'number' ? detail.attempt : 0,
          retryAt: typeof detail.retryAt === 'number' ? detail.retryAt : null,
          sipTool: detail.sipTool === 'sipsak' || detail.sipTool === 'sipp' ? detail.sipTool : null,
          sipSender: detail.sipSender === 'sipsak' ? 'sipsak' : null,
          sipNote: typeof detail.sipNote === 'string' ? detail.sipNote : 'Not checked yet.',
          sipSamples: typeof detail.sipSamples === 'number' ? detail.sipSamples : 0,
          unreadableLines: typeof detail.unreadableLines === 'number' ? detail.unreadableLines : 0,
          fpingVersion: typeof detail.fpingVersion === 'string' ? detail.fpingVersion : null,
          samples: typeof detail.samples === 'number' ? detail.samples : 0,
          lastSampleAt: latest.length === 0 ? null : Math.max(...latest.map((s) => s.at)),
          live: false,
        },
      ];
    });
    return { enabled: settings.enabled, sources };
  }

  /** The chart's source picker: this workstation first, then each server with history of the target. */
  sources(targetId: string): SourceOption[] {
    const out: SourceOption[] = [{ source: LOCAL_SOURCE, label: 'from this workstation' }];
    for (const source of this.#d.store.samples.sourcesOf(targetId)) {
      if (source === LOCAL_SOURCE) continue;
      const server = this.#d.store.servers.get(source);
      out.push({ source, label: server === null ? `from ${source} (no longer in the fleet)` : `from ${server.alias}` });
    }
    return out;
  }
}
