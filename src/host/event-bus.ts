import { events, type EventName, type EventPayload } from '../contract/events';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * Fan-out of pushed events to whichever transports are attached (IPC, WebSocket). Payloads are
 * validated on the way out, so a service cannot push something the contract does not describe.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  #passes: ((name: EventName) => boolean) | null = null;

  /**
   * While set, only events it passes reach the transports; the rest are dropped, not queued (a
   * snapshot on show must not be repainted by the live fleet, and on return every view re-reads).
   */
  holdBack(passes: ((name: EventName) => boolean) | null): void {
    this.#passes = passes;
  }

  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (this.#passes !== null && !this.#passes(name)) return;
    const checked = events[name].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) listener(name, checked);
  }
}
