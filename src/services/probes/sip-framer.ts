// Splits a SIP byte stream (TCP, TLS) into messages: headers up to the blank line, then as many
// body bytes as Content-Length says (RFC 3261 section 18.3 makes it mandatory on streams).
// CRLF keepalives between messages are skipped. A header block or body past the size limit is
// an error: the connection is dropped rather than buffered without end.
import { MAX_MESSAGE_BYTES } from '../../domain/sip/scan';

export type FrameResult = { messages: Uint8Array[]; error?: string };

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})[ \t]*$/im;

export class SipStreamFramer {
  #buffer: Uint8Array = new Uint8Array(0);
  readonly #max: number;

  constructor(maxMessageBytes = MAX_MESSAGE_BYTES) {
    this.#max = maxMessageBytes;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  push(chunk: Uint8Array): FrameResult {
    this.#buffer = concat(this.#buffer, chunk);
    const messages: Uint8Array[] = [];
    for (;;) {
      let start = 0;
      while (start < this.#buffer.length && (this.#buffer[start] === 13 || this.#buffer[start] === 10)) start += 1;
      if (start > 0) this.#buffer = this.#buffer.subarray(start);
      if (this.#buffer.length === 0) return { messages };
      const end = headerEnd(this.#buffer);
      if (end === null) {
        if (this.#buffer.length > this.#max) return this.#fail(messages, 'header block too large');
        return { messages };
      }
      const head = new TextDecoder('latin1').decode(this.#buffer.subarray(0, end.headers));
      const length = Number(CONTENT_LENGTH.exec(head)?.[1] ?? '0');
      const total = end.body + length;
      if (total > this.#max) return this.#fail(messages, 'message too large');
      if (this.#buffer.length < total) return { messages };
      messages.push(this.#buffer.slice(0, total));
      this.#buffer = this.#buffer.subarray(total);
    }
  }

  #fail(messages: Uint8Array[], error: string): FrameResult {
    this.#buffer = new Uint8Array(0);
    return { messages, error };
  }
}

/** Where the headers end and the body starts: after CRLFCRLF, or LFLF from lax peers. */
function headerEnd(buf: Uint8Array): { headers: number; body: number } | null {
  for (let i = 0; i + 1 < buf.length; i += 1) {
    if (buf[i] !== 10) continue;
    if (buf[i + 1] === 10) return { headers: i, body: i + 2 };
    if (buf[i + 1] === 13 && buf[i + 2] === 10) return { headers: i, body: i + 3 };
  }
  return null;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
