// Bits written and read most significant first, for the sample chunks (sample-chunk-codec.ts).
// Values are plain numbers below 2^40 (2^53 through a short escape); every write goes through `bits` in pieces of at most 16
// bits so the 32-bit operators JavaScript has never overflow.

/**
 * How a Rice code cuts a long quotient short (a spike, a rebase): after `after` ones the value is
 * written in full, in 40 bits (`lengthBits` 0: the first chunk formats and the rollup blocks), or
 * (since chunk format 3) as its length in `lengthBits` bits and then that many bits. A spike of a
 * few hundred steps costs 8 + 6 + 9 bits instead of 24 + 40.
 */
export interface Escape {
  readonly after: number;
  readonly lengthBits: number;
}
export const LONG_ESCAPE: Escape = { after: 24, lengthBits: 0 };
export const SHORT_ESCAPE: Escape = { after: 8, lengthBits: 6 };
const ESCAPE_BITS = 40;

/** Bits of v written plainly (at least 1): 0 → 1, 1 → 1, 5 → 3. */
function bitLength(v: number): number {
  if (!(v >= 2)) return 1;
  if (v < 0x1_0000_0000) return 32 - Math.clz32(v);
  let length = 32;
  while (v >= 2 ** length) length += 1;
  return length;
}

/** Maps …, -2, -1, 0, 1, 2 … to 3, 1, 0, 2, 4 …: small either way stays small. */
export function zigzag(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

/** Bits `BitWriter.rice(v, k)` writes, without writing them. */
export function riceCost(v: number, k: number, escape: Escape = LONG_ESCAPE): number {
  const q = Math.floor(v / 2 ** k);
  if (q < escape.after) return q + 1 + k;
  return escape.after + (escape.lengthBits === 0 ? ESCAPE_BITS : escape.lengthBits + bitLength(v));
}

/**
 * The k in 0..maxK at which `riceCost` totals least over these values, and that total; the smallest
 * such k on a tie. The same answer as trying every k on every value, in a fraction of the work: a
 * value below 2^k costs 1 + k at that k and every larger one, so each value is worked out only at
 * the k below its own bit count (a handful for the small residuals a chunk holds, not 27), and the
 * rest are counted. A chunk's streams are sized this way each time one is packed.
 */
export function bestRiceK(values: readonly number[], maxK: number, escape: Escape = LONG_ESCAPE): { k: number; bits: number } {
  const sums = new Float64Array(maxK + 1);
  /** How many values cost 1 + k from this k on (their quotient is 0 there). */
  const plainFrom = new Float64Array(maxK + 2);
  for (const v of values) {
    if (!(v >= 0)) {
      for (let k = 0; k <= maxK; k += 1) sums[k] = (sums[k] as number) + riceCost(v, k, escape);
      continue;
    }
    const from = v < 1 ? 0 : Math.min(bitLength(v), maxK + 1);
    const escaped = escape.after + (escape.lengthBits === 0 ? ESCAPE_BITS : escape.lengthBits + bitLength(v));
    let q = Math.floor(v);
    for (let k = 0; k < from; k += 1) {
      sums[k] = (sums[k] as number) + (q < escape.after ? q + 1 + k : escaped);
      q = Math.floor(q / 2);
    }
    plainFrom[from] = (plainFrom[from] as number) + 1;
  }
  let best = 0;
  let bestBits = Infinity;
  let plain = 0;
  for (let k = 0; k <= maxK; k += 1) {
    plain += plainFrom[k] as number;
    const bits = (sums[k] as number) + plain * (1 + k);
    if (bits < bestBits) {
      bestBits = bits;
      best = k;
    }
  }
  return { k: best, bits: bestBits };
}

export class BitWriter {
  #bytes: Uint8Array;
  #length = 0;
  #acc = 0;
  #pending = 0;

  constructor(capacity = 64) {
    this.#bytes = new Uint8Array(Math.max(8, capacity));
  }

  /** Bits written so far: what a benchmark charges each stream. */
  get bitLength(): number {
    return this.#length * 8 + this.#pending;
  }

  bits(value: number, count: number): void {
    while (count > 16) {
      count -= 16;
      this.#put(Math.floor(value / 2 ** count) & 0xffff, 16);
    }
    this.#put(value & ((1 << count) - 1), count);
  }

  /** Unsigned, 7 bits a group with a continuation bit, like the varints of SQLite and protobuf. */
  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.bits((v % 0x80) | 0x80, 8);
      v = Math.floor(v / 0x80);
    }
    this.bits(v, 8);
  }

  /** Rice code: the quotient by 2^k in unary, then the k low bits. */
  rice(v: number, k: number, escape: Escape = LONG_ESCAPE): void {
    const q = Math.floor(v / 2 ** k);
    if (q >= escape.after) {
      this.#ones(escape.after);
      if (escape.lengthBits === 0) this.bits(v, ESCAPE_BITS);
      else {
        const length = bitLength(v);
        this.bits(length, escape.lengthBits);
        this.bits(v, length);
      }
      return;
    }
    this.#ones(q);
    this.#put(0, 1);
    if (k > 0) this.bits(v % 2 ** k, k);
  }

  finish(): Uint8Array {
    if (this.#pending > 0) this.#put(0, 8 - this.#pending);
    return this.#bytes.slice(0, this.#length);
  }

  #ones(count: number): void {
    let left = count;
    while (left > 0) {
      const take = Math.min(left, 16);
      this.#put((1 << take) - 1, take);
      left -= take;
    }
  }

  #put(value: number, count: number): void {
    this.#acc = (this.#acc << count) | value;
    this.#pending += count;
    while (this.#pending >= 8) {
      this.#pending -= 8;
      if (this.#length === this.#bytes.length) {
        const grown = new Uint8Array(this.#bytes.length * 2);
        grown.set(this.#bytes);
        this.#bytes = grown;
      }
      this.#bytes[this.#length++] = (this.#acc >>> this.#pending) & 0xff;
    }
    this.#acc &= (1 << this.#pending) - 1;
  }
}

export class BitReader {
  readonly #bytes: Uint8Array;
  #bit = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  bits(count: number): number {
    let value = 0;
    let left = count;
    while (left > 0) {
      const byteIndex = this.#bit >>> 3;
      if (byteIndex >= this.#bytes.length) throw new RangeError('sample chunk cut short');
      const offset = this.#bit & 7;
      const take = Math.min(left, 8 - offset);
      const byte = this.#bytes[byteIndex] as number;
      const piece = (byte >>> (8 - offset - take)) & ((1 << take) - 1);
      value = value * 2 ** take + piece;
      this.#bit += take;
      left -= take;
    }
    return value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i += 1) {
      const b = this.bits(8);
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    throw new RangeError('sample chunk varint too long');
  }

  rice(k: number, escape: Escape = LONG_ESCAPE): number {
    let q = 0;
    while (q < escape.after && this.bits(1) === 1) q += 1;
    if (q === escape.after) {
      if (escape.lengthBits === 0) return this.bits(ESCAPE_BITS);
      const length = this.bits(escape.lengthBits);
      if (length > 53) throw new RangeError('sample chunk escape too long');
      return this.bits(length);
    }
    return k > 0 ? q * 2 ** k + this.bits(k) : q;
  }
}
