import { events, type EventName, type EventPayload } from '../contract/events';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * Fan-out of pushed events to whichever transports are attached (IPC, WebSocket). Payloads are
 * validated on the way out, so a service cannot push something the contract does not describe.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) listener(name, checked);
  }
}
