// The SIP UDP probes waiting for their answer, by sequence number. Sequence numbers are handed out
// one after the other, so the probes in flight are a sliding window of them: each sits in slot
// `seq & mask` of a power-of-two array, found by index with no hashing, and the array grows only
// when two probes in flight meet in one slot. A Map here grows and shrinks its table as a busy
// fleet's batches come and go (an allocation and a rehash every few batches); this keeps one
// table for good.
export interface Sequenced {
  readonly seq: number;
}

const INITIAL_SLOTS = 1_024;

export class PendingRing<T extends Sequenced> {
  #slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
  #mask = INITIAL_SLOTS - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#slots.length;
  }

  get(seq: number): T | undefined {
    const item = this.#slots[seq & this.#mask];
    return item !== undefined && item.seq === seq ? item : undefined;
  }

  /** Adds an item; its sequence number must not already be in the ring. */
  add(item: T): void {
    if (!Number.isInteger(item.seq) || item.seq < 0 || item.seq > 0x7fffffff) {
      throw new RangeError(`seq: a whole number from 0 to 2^31 - 1, not ${item.seq}`);
    }
    while (this.#slots[item.seq & this.#mask] !== undefined) {
      if ((this.#slots[item.seq & this.#mask] as T).seq === item.seq) throw new Error(`seq ${item.seq} is already pending`);
      this.#grow();
    }
    this.#slots[item.seq & this.#mask] = item;
    this.#size += 1;
  }

  /** Removes the item with this sequence number; false when there is none. */
  delete(seq: number): boolean {
    const at = seq & this.#mask;
    const item = this.#slots[at];
    if (item === undefined || item.seq !== seq) return false;
    this.#slots[at] = undefined;
    this.#size -= 1;
    return true;
  }

  /** Calls `fn` for each item, in no set order; `fn` may delete the item it is given. */
  forEach(fn: (item: T) => void): void {
    if (this.#size === 0) return;
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i += 1) {
      const item = slots[i];
      if (item !== undefined) fn(item);
    }
  }

  /** Every item, removed from the ring. */
  takeAll(): T[] {
    const out: T[] = [];
    this.forEach((item) => out.push(item));
    this.#slots.fill(undefined);
    this.#size = 0;
    return out;
  }

  /** Doubles the table until no two items share a slot (items whose numbers differ in a low bit part). */
  #grow(): void {
    let capacity = this.#slots.length;
    for (;;) {
      capacity *= 2;
      const mask = capacity - 1;
      const slots = new Array<T | undefined>(capacity).fill(undefined);
      let clash = false;
      for (const item of this.#slots) {
        if (item === undefined) continue;
        if (slots[item.seq & mask] !== undefined) {
          clash = true;
          break;
        }
        slots[item.seq & mask] = item;
      }
      if (!clash) {
        this.#slots = slots;
        this.#mask = mask;
        return;
      }
    }
  }
}
