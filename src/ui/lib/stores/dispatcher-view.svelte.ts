// One dispatcher's own view of its destinations, as its Destinations tab shows it. Read over SSH
// when the tab opens and when the operator asks; between those, the load poll reads it every 30 s
// on the host, and the tab picks that up by asking for the stored view (no SSH) every 15 s.
import type { DispatcherView } from '../../../contract/dispatcher-methods';
import { api, callError } from '../api';

const FOLLOW_EVERY_MS = 15_000;

export class DispatcherViewState {
  #view = $state.raw<DispatcherView | null>(null);
  #reading = $state(false);
  /** A refusal of the call itself (a snapshot on show, a deleted server); read failures are in the view. */
  #error = $state<string | null>(null);

  constructor(private readonly serverId: string) {}

  get view(): DispatcherView | null {
    return this.#view;
  }
  get reading(): boolean {
    return this.#reading;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Shows the stored view at once, then reads the dispatcher now unless this console may not. Returns the stop. */
  open(readNow: boolean): () => void {
    void this.load().then(() => (readNow ? this.read() : undefined));
    const timer = setInterval(() => void this.load(), FOLLOW_EVERY_MS);
    return () => clearInterval(timer);
  }

  async load(): Promise<void> {
    try {
      const view = await api.call('dispatcher:get-view', { serverId: this.serverId });
      // A read over SSH in flight answers with fresher data: do not paint the older one over it.
      if (!this.#reading) this.#view = view;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    }
  }

  async read(): Promise<void> {
    if (this.#reading) return;
    this.#reading = true;
    try {
      this.#view = await api.call('dispatcher:read-view', { serverId: this.serverId });
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#reading = false;
    }
  }
}
