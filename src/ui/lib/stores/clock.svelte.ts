import { relativeNow } from '../format';

/** A coarse clock for relative times ("in 3 d"); ticks every 30 s so labels stay honest. */
class Clock {
  #now = $state(Date.now());
  #pinned = $state<number | null>(null);

  constructor() {
    setInterval(() => (this.#now = Date.now()), 30_000);
  }

  get now(): number {
    return this.#pinned ?? this.#now;
  }

  /**
   * "Now" for relative times, read when a label is drawn: the real time (so a stamp made a moment
   * ago is never "in <1 min"), and still redrawn at every tick. Pinned in snapshot mode.
   */
  get fresh(): number {
    return relativeNow(this.#now, Date.now(), this.#pinned);
  }

  /** In snapshot mode "now" is when the snapshot was taken: "expires in 3 d" as it was then. */
  pin(at: number | null): void {
    this.#pinned = at;
  }
}

export const clock = new Clock();
