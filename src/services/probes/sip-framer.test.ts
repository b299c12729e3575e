import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipStreamFramer } from './sip-framer';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const msg = (n: number, body = '') =>
  `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK${n}\r\nl: ${enc(body).length}\r\n\r\n${body}`;

describe('SipStreamFramer', () => {
  it('splits messages at any chunk boundary, honouring Content-Length and skipping keepalives', () => {
    const stream = `\r\n\r\n${msg(1)}${msg(2, 'v=0\r\nhello')}\r\n${msg(3, 'é')}`;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 12 }), (cuts) => {
        const bytes = enc(stream);
        const framer = new SipStreamFramer();
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const out: string[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          const r = framer.push(bytes.subarray(at, p));
          expect(r.error).toBeUndefined();
          out.push(...r.messages.map(dec));
          at = p;
        }
        expect(out).toEqual([msg(1), msg(2, 'v=0\r\nhello'), msg(3, 'é')]);
        expect(framer.buffered).toBe(0);
      }),
    );
  });

  it('refuses a header block or a body beyond the limit instead of buffering forever', () => {
    const framer = new SipStreamFramer(1_000);
    expect(framer.push(enc('SIP/2.0 200 OK\r\n' + 'X: y\r\n'.repeat(300))).error).toBe('header block too large');
    expect(new SipStreamFramer(1_000).push(enc('SIP/2.0 200 OK\r\nContent-Length: 5000\r\n\r\n')).error).toBe('message too large');
    expect(new SipStreamFramer().push(enc(msg(1).replace('\r\n\r\n', '\n\n'))).messages).toHaveLength(1);
  });
});
