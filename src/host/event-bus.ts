import { events, type EventName, type EventPayload } from '../contract/events';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * Fan-out of pushed events to whichever transports are attached (IPC, WebSocket). Payloads are
 * validated on the way out, so a service cannot push something the contract does not describe.
 */
/** Whether a listener takes this event now (a socket with no client takes none). */
export type EventWants = (name: EventName) => boolean;

export class EventBus {
  readonly #listeners = new Map<EventListener, EventWants | null>();
  #passes: ((name: EventName) => boolean) | null = null;

  /**
   * While set, only events it passes reach the transports; the rest are dropped, not queued (a
   * snapshot on show must not be repainted by the live fleet, and on return every view re-reads).
   */
  holdBack(passes: ((name: EventName) => boolean) | null): void {
    this.#passes = passes;
  }

  /**
   * Adds a listener; with `wants`, only the events it says it takes now. An event no listener
   * takes is not even validated: at 10,000 servers the samples push checked each second with no
   * page open cost the host about 10 ms a second for nothing.
   */
  on(listener: EventListener, wants?: EventWants): () => void {
    this.#listeners.set(listener, wants ?? null);
    return () => this.#listeners.delete(listener);
  }

  /** Whether any listener would take this event now: a producer may skip building it. */
  wanted(name: EventName): boolean {
    if (this.#passes !== null && !this.#passes(name)) return false;
    for (const wants of this.#listeners.values()) if (wants === null || wants(name)) return true;
    return false;
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.#emit(name, payload, true);
  }

  /**
   * The same, unchecked: for a payload the host builds itself from its own typed state every
   * second (the samples push, thousands of updates at 10,000 servers), where the check cost more
   * than the rest of the push; a test holds its producer to the contract instead.
   */
  emitOwn<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.#emit(name, payload, false);
  }

  #emit<E extends EventName>(name: E, payload: EventPayload<E>, check: boolean): void {
    if (this.#passes !== null && !this.#passes(name)) return;
    let checked: EventPayload<E> | undefined;
    for (const [listener, wants] of this.#listeners) {
      if (wants !== null && !wants(name)) continue;
      checked ??= check ? (events[name].parse(payload) as EventPayload<E>) : payload;
      listener(name, checked);
    }
  }
}
