// Raise after N bad observations among the last M, clear after K good ones in a row (and only
// once fewer than N of the last M are bad): one noisy sample neither raises nor clears an alert.
// A ring of bytes per rule and server; constant work per observation.

export type Transition = 'raise' | 'clear' | null;

export class Hysteresis {
  readonly #ring: Uint8Array;
  #pos = 0;
  #filled = 0;
  #bad = 0;
  #goodStreak = 0;
  #active: boolean;

  /**
   * @param window M, how many recent observations count
   * @param raiseCount N, bad ones among them that raise
   * @param clearAfter K, good ones in a row that clear
   */
  constructor(
    readonly window: number,
    readonly raiseCount: number,
    readonly clearAfter: number,
    active = false,
  ) {
    if (!(window >= 1 && raiseCount >= 1 && raiseCount <= window && clearAfter >= 1)) {
      throw new RangeError(`impossible hysteresis: ${raiseCount} of ${window}, clear after ${clearAfter}`);
    }
    this.#ring = new Uint8Array(window);
    this.#active = active;
  }

  /** Firing (raised and not cleared since). */
  get active(): boolean {
    return this.#active;
  }

  /** Bad observations among the last M. */
  get badCount(): number {
    return this.#bad;
  }

  /** Observations seen so far, up to M. */
  get seen(): number {
    return this.#filled;
  }

  get goodStreak(): number {
    return this.#goodStreak;
  }

  /** Takes the state of an alert stored before a restart, without replaying anything. */
  setActive(active: boolean): void {
    this.#active = active;
  }

  observe(bad: boolean): Transition {
    const value = bad ? 1 : 0;
    if (this.#filled === this.window) this.#bad -= this.#ring[this.#pos] ?? 0;
    else this.#filled += 1;
    this.#ring[this.#pos] = value;
    this.#bad += value;
    this.#pos = this.#pos + 1 === this.window ? 0 : this.#pos + 1;
    this.#goodStreak = bad ? 0 : this.#goodStreak + 1;
    if (!this.#active) {
      if (this.#bad >= this.raiseCount) {
        this.#active = true;
        return 'raise';
      }
      return null;
    }
    if (this.#goodStreak >= this.clearAfter && this.#bad < this.raiseCount) {
      this.#active = false;
      return 'clear';
    }
    return null;
  }
}
