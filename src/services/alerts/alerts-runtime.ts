// Alerting as the host runs it, with or without a window open: the engine, the notifier and the
// delivery worker on one short tick; the minute checks; retention once a day. Started and stopped
// by the host's background set (never on a snapshot, never in a read-only wall display); on stop
// every waiting change is grouped at once and the sends in flight get a few seconds to finish —
// what is left stays in SQLite for the next start.
import type { AlertsChangedPush, AlertNotifyPush } from '../../contract/alerts-methods';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredChannel } from '../store/alert-channels-repo';
import type { Store } from '../store/store';
import { AlertEngine } from './alert-engine';
import { createAlertsService } from './alerts-service';
import { createChannelsService } from './channels-service';
import { DeliveryWorker } from './delivery-worker';
import { createRunMaintenance } from './maintenance';
import { groupNotices } from './notifier';
import { createRulesService } from './rules-service';
import { createTransports } from './transports';
import type { Transport } from './transports/transport';
import { errorMessage } from '../../domain/error-message';

const DAY = 86_400_000;
export const ALERTS_RETENTION_MS = 366 * DAY;
export const DELIVERIES_RETENTION_MS = 90 * DAY;

export interface AlertsRuntimeDeps {
  store: Store;
  clock: () => number;
  secrets: SecretStore;
  version: string;
  /** Who acts from this console: acknowledgements, silences, rule changes. */
  who: () => string;
  apibanKeySet: () => boolean;
  /** The desktop channel's notifications (the host pushes them as `alerts:notify`). */
  notify: (push: AlertNotifyPush) => void;
  emitChanged: (push: AlertsChangedPush) => void;
  log: (message: string) => void;
  /** Transports to use instead of the real ones (tests). */
  transportOf?: (channel: StoredChannel) => Transport;
  tickMs?: number;
  periodicMs?: number;
  /** How long sends in flight may finish when the host stops. */
  stopGraceMs?: number;
  quietMs?: number;
  maxWaitMs?: number;
}

type What = AlertsChangedPush['what'][number];

export function createAlertsRuntime(deps: AlertsRuntimeDeps) {
  const { store, clock } = deps;
  const engine = new AlertEngine({ store, clock, apibanKeySet: deps.apibanKeySet });
  const pending = new Set<What>();
  let running = false;
  let tickTimer: NodeJS.Timeout | undefined;
  let periodicTimer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  const service = createAlertsService({ store, clock, engine, who: deps.who, onChanged: (what) => changed(...what) });
  const push = (): void => {
    if (pending.size === 0) return;
    const what = [...pending];
    pending.clear();
    deps.emitChanged({ counts: service.counts(), what });
  };
  /** Pushed with the next tick while running (at most one push per tick), at once otherwise. */
  const changed = (...what: What[]): void => {
    for (const w of what) pending.add(w);
    if (!running) push();
  };
  const transportOf = deps.transportOf ?? createTransports({ notify: deps.notify });
  const worker = new DeliveryWorker({
    store,
    clock,
    secrets: deps.secrets,
    transportOf,
    version: deps.version,
    log: deps.log,
    onChanged: () => changed('deliveries'),
    onChannelHealth: (channel, failing, message, at) => {
      engine.channelHealth(channel, failing, message, at);
      changed('channels');
    },
  });
  const maintenance = createRunMaintenance({ store, onChanged: () => changed('holds') });
  const rules = createRulesService({
    store,
    clock,
    who: deps.who,
    onChanged: () => (engine.running && engine.rebuild(), changed('rules')),
  });
  const channels = createChannelsService({ store, clock, secrets: deps.secrets, worker, onChanged: (what) => changed(...what) });
  const grouping = {
    store,
    version: deps.version,
    openAlerts: () => engine.book.openAlerts(),
    ...(deps.quietMs === undefined ? {} : { quietMs: deps.quietMs }),
    ...(deps.maxWaitMs === undefined ? {} : { maxWaitMs: deps.maxWaitMs }),
  };

  /** One step of the loop: apply what the engine saw, group what waits, send what is due. */
  const tick = (): void => {
    const now = clock();
    try {
      if (engine.tick(now)) changed('alerts', 'holds');
      if (groupNotices(grouping, now) > 0) changed('deliveries');
      worker.pump(now);
      if (now - lastPrune > DAY) {
        lastPrune = now;
        store.alerts.prune(now - ALERTS_RETENTION_MS);
        store.alertDeliveries.prune(now - DELIVERIES_RETENTION_MS);
        store.holds.prune(now - DELIVERIES_RETENTION_MS);
      }
    } catch (error) {
      deps.log(`[switchyard] alerts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    push();
  };

  return {
    engine,
    worker,
    service,
    rules,
    channels,
    maintenance,
    tick,
    get running(): boolean {
      return running;
    },
    start(): void {
      if (running) return;
      const now = clock();
      worker.resume();
      worker.recover(now);
      maintenance.closeInterrupted(now);
      engine.start();
      engine.checkPeriodic(now);
      running = true;
      tickTimer = setInterval(tick, deps.tickMs ?? 250);
      periodicTimer = setInterval(() => {
        try {
          engine.checkPeriodic(clock());
        } catch (error) {
          deps.log(`[switchyard] alerts (minute checks): ${errorMessage(error)}`);
        }
      }, deps.periodicMs ?? 60_000);
      tickTimer.unref();
      periodicTimer.unref();
    },
    /** Stops the loop: groups every waiting change now, lets sends in flight finish for a few seconds. */
    async stop(): Promise<void> {
      if (!running) return;
      clearInterval(tickTimer);
      clearInterval(periodicTimer);
      const now = clock();
      try {
        engine.stop();
        groupNotices({ ...grouping, quietMs: 0, maxWaitMs: 0 }, now);
        worker.pump(now);
      } catch (error) {
        deps.log(`[switchyard] alerts (stopping): ${errorMessage(error)}`);
      }
      await worker.stop(deps.stopGraceMs ?? 5_000);
      running = false;
      pending.clear();
    },
    /** The fleet changed (servers added, edited, deleted): rules apply to it as it is now. */
    fleetChanged(): void {
      if (engine.running) engine.rebuild();
    },
  };
}

export type AlertsRuntime = ReturnType<typeof createAlertsRuntime>;
