// The Channels & routes tab's state: the channels (secrets only as "set"/"not set"), the routes
// that pick which alerts reach each, the recent deliveries, and the last "Send test" outcome per
// channel as this page saw it.
import type { Channel, Delivery, DeliveryOutcome, Route } from '../../../contract/alerts-delivery';
import { api, callError } from '../api';

export class ChannelsView {
  #channels = $state.raw<Channel[]>([]);
  #routes = $state.raw<Route[]>([]);
  #deliveries = $state.raw<Delivery[]>([]);
  #tests = $state.raw<Readonly<Record<number, DeliveryOutcome & { at: number }>>>({});
  #testing = $state.raw<readonly number[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);

  get channels() {
    return this.#channels;
  }
  get routes() {
    return this.#routes;
  }
  get deliveries() {
    return this.#deliveries;
  }
  get loaded() {
    return this.#loaded;
  }
  get error() {
    return this.#error;
  }

  isTesting(id: number): boolean {
    return this.#testing.includes(id);
  }

  testOf(id: number): (DeliveryOutcome & { at: number }) | null {
    return this.#tests[id] ?? null;
  }

  routesOf(channelId: number): Route[] {
    return this.#routes.filter((r) => r.channelId === channelId);
  }

  start(): () => void {
    return api.on('alerts:changed', ({ what }) => {
      if (what.includes('channels') || what.includes('deliveries')) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const [channels, routes, deliveries] = await Promise.all([
        api.call('alerts:list-channels', {}),
        api.call('alerts:list-routes', {}),
        api.call('alerts:list-deliveries', { limit: 100 }),
      ]);
      this.#channels = channels;
      this.#routes = routes;
      this.#deliveries = deliveries;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
  }

  /** Sends a test now; the outcome (or the refusal) is kept to show beside the channel. */
  async test(id: number): Promise<void> {
    this.#testing = [...this.#testing, id];
    let outcome: DeliveryOutcome;
    try {
      outcome = await api.call('alerts:test-channel', { id });
    } catch (e) {
      outcome = { ok: false, status: null, error: callError(e).message, ms: 0 };
    }
    this.#tests = { ...this.#tests, [id]: { ...outcome, at: Date.now() } };
    this.#testing = this.#testing.filter((x) => x !== id);
  }

  async deleteChannel(id: number): Promise<string | null> {
    try {
      await api.call('alerts:delete-channel', { id });
      await this.load();
      return null;
    } catch (e) {
      return callError(e).message;
    }
  }

  async deleteRoute(id: number): Promise<string | null> {
    try {
      await api.call('alerts:delete-route', { id });
      await this.load();
      return null;
    } catch (e) {
      return callError(e).message;
    }
  }
}
