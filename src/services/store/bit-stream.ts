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
  let length = 1;
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
