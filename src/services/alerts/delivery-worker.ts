// Sends the deliveries the notifier wrote, oldest due first: a few at once, one at a time per
// channel (so a channel's messages keep their order). An attempt is recorded as started before it
// is sent and as sent only once the receiver accepted it; failures are retried with backoff, and
// a channel whose deliveries keep failing raises its own alert in the console.
import type { DeliveryOutcome } from '../../contract/alerts-delivery';
import { MAX_ATTEMPTS, retryDelayMs } from '../../domain/alerts/backoff';
import { batchTitle, type NoticeBatch } from '../../domain/alerts/notice';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredChannel } from '../store/alert-channels-repo';
import type { StoredDelivery } from '../store/alert-deliveries-repo';
import type { Store } from '../store/store';
import { readChannelSecrets } from './channel-secrets';
import type { SendResult, Transport } from './transports/transport';
import { errorMessage } from '../../domain/error-message';

/** Failed deliveries in a row after which a channel counts as failing. */
export const FAILING_AFTER = 3;

export interface DeliveryWorkerDeps {
  store: Store;
  clock: () => number;
  secrets: SecretStore;
  transportOf: (channel: StoredChannel) => Transport;
  version: string;
  /** A channel started or stopped failing. */
  onChannelHealth: (channel: StoredChannel, failing: boolean, message: string, at: number) => void;
  /** A delivery changed state (for the UI). */
  onChanged?: () => void;
  concurrency?: number;
  log?: (message: string) => void;
}

export class DeliveryWorker {
  readonly #d: DeliveryWorkerDeps;
  readonly #inFlight = new Map<number, { channelId: number | null; done: Promise<void>; controller: AbortController }>();
  #stopping = false;

  constructor(deps: DeliveryWorkerDeps) {
    this.#d = deps;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Deliveries a killed host left half-sent go again: they were never recorded as sent. */
  recover(now: number): number {
    return this.#d.store.alertDeliveries.recoverInterrupted(now);
  }

  /** Starts the sends that are due, within the concurrency limits. */
  pump(now: number): void {
    if (this.#stopping) return;
    const limit = this.#d.concurrency ?? 4;
    const free = limit - this.#inFlight.size;
    if (free <= 0) return;
    const busy = new Set([...this.#inFlight.values()].map((f) => f.channelId));
    for (const delivery of this.#d.store.alertDeliveries.due(now, limit * 4)) {
      if (this.#inFlight.size >= limit) break;
      if (this.#inFlight.has(delivery.id) || busy.has(delivery.channelId)) continue;
      busy.add(delivery.channelId);
      this.#start(delivery);
    }
  }

  /** "Send test": one attempt now, logged as a test delivery, and what came back. */
  async test(channel: StoredChannel): Promise<DeliveryOutcome> {
    const now = this.#d.clock();
    const batch: Omit<NoticeBatch, 'deliveryId'> = {
      channel: { id: channel.id, name: channel.name },
      routeId: null,
      createdAt: now,
      test: true,
      items: [],
      groups: [],
      version: this.#d.version,
    };
    const id = this.#d.store.alertDeliveries.insert({
      channelId: channel.id,
      channelName: channel.name,
      routeId: null,
      test: true,
      batch,
      alertIds: [],
      summary: batchTitle(batch),
      state: 'pending',
      nextAttemptAt: null,
      createdAt: now,
    });
    this.#d.store.alertDeliveries.begin(id);
    const result = await this.#send(channel, { ...batch, deliveryId: id }, new AbortController().signal);
    this.#d.store.alertDeliveries.finish(id, outcomeOf(result), this.#d.clock(), {
      state: result.ok ? 'sent' : 'failed',
      nextAttemptAt: null,
    });
    this.#d.onChanged?.();
    return outcomeOf(result);
  }

  /**
   * Stops taking new work and gives the sends in flight `graceMs` to finish; what is still going
   * then is cut and left pending, to be sent on the next start.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const pending = [...this.#inFlight.values()];
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(pending.map((p) => p.done)), expired]);
    clearTimeout(timer);
    for (const p of this.#inFlight.values()) p.controller.abort();
    await Promise.all([...this.#inFlight.values()].map((p) => p.done));
  }

  /** Takes work again after a stop (the live fleet is shown again). */
  resume(): void {
    this.#stopping = false;
  }

  #start(delivery: StoredDelivery): void {
    const { store } = this.#d;
    const channel = delivery.channelId === null ? null : store.alertChannels.channel(delivery.channelId);
    if (!store.alertDeliveries.begin(delivery.id)) return;
    const controller = new AbortController();
    const done = (async () => {
      let result: SendResult;
      if (channel === null || !channel.enabled) {
        result = {
          ok: false,
          status: null,
          error: channel === null ? 'The channel was deleted.' : 'The channel is disabled.',
          ms: 0,
          permanent: true,
        };
      } else {
        result = await this.#send(channel, { ...delivery.batch, deliveryId: delivery.id }, controller.signal);
      }
      this.#finish(delivery, channel, result, controller.signal.aborted);
    })()
      .catch((error: unknown) => this.#d.log?.(`[switchyard] delivery ${delivery.id} failed: ${errorMessage(error)}`))
      .finally(() => this.#inFlight.delete(delivery.id));
    this.#inFlight.set(delivery.id, { channelId: delivery.channelId, done, controller });
  }

  async #send(channel: StoredChannel, batch: NoticeBatch, signal: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    try {
      return await this.#d.transportOf(channel).send(channel, readChannelSecrets(this.#d.secrets, channel.id), batch, signal);
    } catch (error) {
      return { ok: false, status: null, error: errorMessage(error), ms: performance.now() - started };
    }
  }

  #finish(delivery: StoredDelivery, channel: StoredChannel | null, result: SendResult, cut: boolean): void {
    const { store } = this.#d;
    const now = this.#d.clock();
    const attempts = delivery.attempts + 1;
    if (cut && !result.ok) {
      // The host is stopping: not sent, not a failure of the channel; the next start sends it.
      store.alertDeliveries.finish(
        delivery.id,
        { ...outcomeOf(result), error: 'Cut short: Switchyard was stopping; it goes again at the next start.' },
        now,
        { state: 'pending', nextAttemptAt: now },
      );
      return;
    }
    const giveUp = result.permanent === true || attempts >= MAX_ATTEMPTS;
    const next = result.ok
      ? { state: 'sent' as const, nextAttemptAt: null }
      : giveUp
        ? { state: 'failed' as const, nextAttemptAt: null }
        : { state: 'pending' as const, nextAttemptAt: now + retryDelayMs(attempts, result.retryAfterMs ?? null) };
    store.alertDeliveries.finish(delivery.id, outcomeOf(result), now, next);
    this.#d.onChanged?.();
    if (channel === null) return;
    const fresh = store.alertChannels.channel(channel.id) ?? channel;
    if (result.ok) {
      if (fresh.failures > 0 || fresh.failing) store.alertChannels.setHealth(fresh.id, false, 0);
      if (fresh.failing) this.#d.onChannelHealth(fresh, false, `delivery ${delivery.id} was accepted`, now);
      return;
    }
    const failures = fresh.failures + 1;
    const failing = fresh.failing || result.permanent === true || failures >= FAILING_AFTER || giveUp;
    store.alertChannels.setHealth(fresh.id, failing, failures);
    if (failing && !fresh.failing) this.#d.onChannelHealth(fresh, true, describeFailure(result), now);
  }
}

function outcomeOf(result: SendResult): DeliveryOutcome {
  return { ok: result.ok, status: result.status, error: result.error, ms: Math.round(result.ms * 10) / 10 };
}

function describeFailure(result: SendResult): string {
  return `${result.status === null ? '' : `${result.status} `}${result.error ?? 'refused'}`.trim();
}
