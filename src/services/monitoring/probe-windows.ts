// The last probes of every (server, kind), kept as columns of numbers in a few shared typed
// arrays rather than as one object per sample. At 10,000 servers × 3 kinds × 60 samples the
// objects came to 1.8 million (about 190 MB of heap, filled over the first five minutes), and
// every full garbage collection walked them all; here they are ~19 bytes each and nothing to trace.

/** A lost probe's round trip: NaN in the column, null outside it. */
const LOST = Number.NaN;
/** No SIP code (ICMP, TCP, a lost probe): 0 in the column, undefined outside it. */
const NO_CODE = 0;

/** Rows, each a ring of `capacity` probes in time order; a row is one (server, kind). */
export class ProbeWindows {
  readonly capacity: number;
  #rows = 0;
  #at: Float64Array;
  #rtt: Float64Array;
  #code: Uint16Array;
  /** Where each row's oldest probe is, and how many it holds. */
  #head: Uint16Array;
  #len: Uint16Array;
  readonly #free: number[] = [];
  #used = 0;

  constructor(capacity: number, rows = 64) {
    if (capacity < 1 || capacity > 0xffff) throw new RangeError(`capacity ${capacity} out of range`);
    this.capacity = capacity;
    this.#at = new Float64Array(rows * capacity);
    this.#rtt = new Float64Array(rows * capacity);
    this.#code = new Uint16Array(rows * capacity);
    this.#head = new Uint16Array(rows);
    this.#len = new Uint16Array(rows);
  }

  /** Rows in use (a forgotten server's rows are reused, never left behind). */
  get used(): number {
    return this.#used;
  }

  /** Bytes the columns hold, in use or free. */
  get bytes(): number {
    return this.#at.byteLength + this.#rtt.byteLength + this.#code.byteLength + this.#head.byteLength + this.#len.byteLength;
  }

  /** A new empty row. */
  open(): number {
    this.#used += 1;
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#rows === this.#head.length) this.#grow();
    return this.#rows++;
  }

  /** Gives a row back; it must not be read again. */
  release(row: number): void {
    this.#head[row] = 0;
    this.#len[row] = 0;
    this.#free.push(row);
    this.#used -= 1;
  }

  length(row: number): number {
    return this.#len[row] ?? 0;
  }

  /**
   * Adds a probe in time order (probes of one kind finish in order almost always; a late one is
   * put in its place). When the row is full the oldest goes, which is the new probe itself when
   * it is older than every one kept.
   */
  add(row: number, at: number, rttMs: number | null, code: number | undefined): void {
    const cap = this.capacity;
    const base = row * cap;
    const head = this.#head[row] ?? 0;
    let len = this.#len[row] ?? 0;
    if (len === cap) {
      if (at < (this.#at[base + head] ?? 0)) return;
      this.#head[row] = (head + 1) % cap;
    } else {
      len += 1;
      this.#len[row] = len;
    }
    const start = this.#head[row] ?? 0;
    let i = len - 1;
    // Shift later probes up one place until the new one's place is found.
    for (; i > 0; i -= 1) {
      const prev = base + ((start + i - 1) % cap);
      if ((this.#at[prev] ?? 0) <= at) break;
      const to = base + ((start + i) % cap);
      this.#at[to] = this.#at[prev] ?? 0;
      this.#rtt[to] = this.#rtt[prev] ?? LOST;
      this.#code[to] = this.#code[prev] ?? NO_CODE;
    }
    const slot = base + ((start + i) % cap);
    this.#at[slot] = at;
    this.#rtt[slot] = rttMs ?? LOST;
    this.#code[slot] = code ?? NO_CODE;
  }

  /** The i-th probe's time, oldest first. */
  at(row: number, i: number): number {
    return this.#at[this.#slot(row, i)] ?? 0;
  }

  rtt(row: number, i: number): number | null {
    const v = this.#rtt[this.#slot(row, i)] ?? LOST;
    return Number.isNaN(v) ? null : v;
  }

  code(row: number, i: number): number | undefined {
    const v = this.#code[this.#slot(row, i)] ?? NO_CODE;
    return v === NO_CODE ? undefined : v;
  }

  #slot(row: number, i: number): number {
    return row * this.capacity + (((this.#head[row] ?? 0) + i) % this.capacity);
  }

  #grow(): void {
    const rows = this.#head.length * 2;
    const widen = <T extends Float64Array | Uint16Array>(old: T, make: (n: number) => T, n: number): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.#at = widen(this.#at, (n) => new Float64Array(n), rows * this.capacity);
    this.#rtt = widen(this.#rtt, (n) => new Float64Array(n), rows * this.capacity);
    this.#code = widen(this.#code, (n) => new Uint16Array(n), rows * this.capacity);
    this.#head = widen(this.#head, (n) => new Uint16Array(n), rows);
    this.#len = widen(this.#len, (n) => new Uint16Array(n), rows);
  }
}
