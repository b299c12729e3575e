// Reading what BitWriter (bit-stream.ts) wrote into a rollup block, for rollup-block-decode.ts.
import { ESCAPE, ESCAPE_BITS } from './rollup-block-codec';

const POW2 = Array.from({ length: 33 }, (_, k) => 2 ** k);

/**
 * Reads what BitWriter wrote, like bit-stream.ts's BitReader, with 32-bit integer operations only:
 * a 30-day chart unpacks 1,440 rows per kind, and BitReader's floating-point arithmetic (made for
 * 180-sample chunks) took several times longer here than everything else in the chart.
 */
export class BlockReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#end = bytes.length * 8;
  }

  bits(n: number): number {
    if (n === 0) return 0;
    if (n > 24) {
      const high = this.bits(n - 24);
      return high * 0x1000000 + this.bits(24);
    }
    const pos = this.#pos;
    if (pos + n > this.#end) throw new RangeError('rollup block cut short');
    const b = this.#bytes;
    const i = pos >>> 3;
    const word = (((b[i] as number) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    this.#pos = pos + n;
    return ((word << (pos & 7)) >>> 0) >>> (32 - n);
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
    throw new RangeError('rollup block varint too long');
  }

  /** The `n` (at most 24) bits at `pos`, without moving. */
  #peek(pos: number, n: number): number {
    const b = this.#bytes;
    const i = pos >>> 3;
    const word = (((b[i] as number) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    return ((word << (pos & 7)) >>> 0) >>> (32 - n);
  }

  rice(k: number): number {
    // The unary quotient a word at a time: its leading ones are the leading zeros of its complement.
    let q = 0;
    for (;;) {
      const pos = this.#pos;
      const left = this.#end - pos;
      if (left <= 0) throw new RangeError('rollup block cut short');
      const take = left < 24 ? left : 24;
      const ones = Math.clz32(~(this.#peek(pos, take) << (32 - take)));
      if (q + ones >= ESCAPE) {
        this.#pos = pos + (ESCAPE - q);
        return this.bits(ESCAPE_BITS);
      }
      if (ones < take) {
        this.#pos = pos + ones + 1;
        q += ones;
        break;
      }
      this.#pos = pos + take;
      q += take;
    }
    return k > 0 ? q * (POW2[k] as number) + this.bits(k) : q;
  }
}
