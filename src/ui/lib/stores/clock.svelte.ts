/** A coarse clock for relative times ("in 3 d"); ticks every 30 s so labels stay honest. */
class Clock {
  #now = $state(Date.now());

  constructor() {
    setInterval(() => (this.#now = Date.now()), 30_000);
  }

  get now(): number {
    return this.#now;
  }
}

export const clock = new Clock();
