import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastMatchKey, type FastMatchKey } from './fast-match';
import { matchKey, parseSipMessage } from './message';
import { buildOptions } from './options';

/** What the full parser says, in the fast matcher's shape; null when it is not a response. */
function fullKey(bytes: Uint8Array): FastMatchKey | null {
  const parsed = parseSipMessage(bytes);
  if (!parsed.ok || parsed.message.kind !== 'response') return null;
  const key = matchKey(parsed.message);
  return key.status === null
    ? null
    : { status: key.status, branch: key.branch, callId: key.callId, cseq: key.cseq, cseqMethod: key.cseqMethod };
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

/** The answer a server sends to one of our requests: status line instead of the request line, headers echoed. */
function answerTo(request: string, status: string): string {
  return request.replace(/^OPTIONS [^\r\n]+/, `SIP/2.0 ${status}`).replace('User-Agent: Switchyard/', 'Server: kamailio/');
}

const requests = fc
  .record({
    host: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('sip.example.com', 'a-1.example.net')),
    port: fc.integer({ min: 1, max: 65535 }),
    localHost: fc.oneof(fc.ipV4(), fc.ipV6()),
    localPort: fc.integer({ min: 1, max: 65535 }),
    cseq: fc.integer({ min: 0, max: 2147483647 }),
    status: fc.constantFrom('100 Trying', '200 OK', '302 Moved Temporarily', '486 Busy Here', '503 Service Unavailable', '699 x', '200'),
  })
  .map(({ status, ...params }) => {
    const request = buildOptions({ ...params, transport: 'udp', version: '1.2.3' });
    return { request, text: answerTo(request.text, status) };
  });

/** Edits real networks make (and some they should not): case, compact names, folding, blanks, extra Vias, bytes. */
const EDITS: ((s: string) => string)[] = [
  (s) => s.replace(/^Via:/m, 'v:'),
  (s) => s.replace(/^Call-ID:/m, 'i:'),
  (s) => s.replace(/^CSeq:/m, 'CSEQ  :'),
  (s) => s.replace(/^Via: /m, 'VIA:\t'),
  (s) => s.replace(/;rport/, ';rport=5070;received=192.0.2.9'),
  (s) => s.replace(/;branch=/, ';BRANCH = '),
  (s) => s.replace(/^Via: /m, 'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy\r\nVia: '),
  (s) => s.replace(/^Via: /m, 'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy, '),
  (s) => s.replace(/^Call-ID: /m, 'Call-ID:\r\n  '),
  (s) => s.replace(/\r\n/g, '\n'),
  (s) => s.replace(/\r\n\r\n$/, '\r\n'),
  (s) => s.replace(/^CSeq: (\d+)/m, 'CSeq: $1 \t'),
  (s) => s.replace(/^CSeq: \d+ OPTIONS/m, 'CSeq: 12345678901 OPTIONS'),
  (s) => s.replace(/OK/, 'Ok \u00e9t\u00e9'),
  (s) => s.replace(/^Max-Forwards: 70/m, 'X-Note: caf\u00e9'),
  (s) => s.replace(/;branch=[^;\r\n]+/, ';branch="z9hG4bKq"'),
  (s) => s.replace(/;branch=[^;\r\n]+/, ';branch='),
  (s) => s.replace(/^Call-ID: [^\r\n]*\r\n/m, ''),
  (s) => `\r\n${s}`,
  (s) => s.replace(/^SIP\/2.0/, 'sip/2.0'),
  (s) => s.replace(/^SIP\/2.0 (\d+)/, 'SIP/2.0 $10'),
];

describe('fast matcher', () => {
  it('reads the answer to a request our builder made', () => {
    const request = buildOptions({
      host: '192.0.2.10',
      port: 5060,
      transport: 'udp',
      localHost: '192.0.2.1',
      localPort: 40000,
      cseq: 42,
      version: '1.0.0',
    });
    expect(fastMatchKey(answerTo(request.text, '200 OK'))).toEqual({
      status: 200,
      branch: request.branch,
      callId: request.callId,
      cseq: 42,
      cseqMethod: 'OPTIONS',
    });
  });

  it('leaves folded lines, lists in the top Via, bare LF, truncation and non-ASCII headers to the full parser', () => {
    const text = answerTo(
      buildOptions({ host: '192.0.2.10', port: 5060, transport: 'udp', localHost: '192.0.2.1', localPort: 40000, version: '1.0.0' }).text,
      '200 OK',
    );
    for (const edit of [EDITS[8], EDITS[7], EDITS[9], EDITS[10], EDITS[14], EDITS[15], EDITS[18]]) {
      expect(fastMatchKey((edit as (s: string) => string)(text))).toBeNull();
    }
    expect(fastMatchKey('')).toBeNull();
    expect(fastMatchKey('SIP/2.0 200 OK')).toBeNull();
    expect(fastMatchKey('OPTIONS sip:a SIP/2.0\r\nVia: x;branch=z9hG4bK1\r\n\r\n')).toBeNull();
  });

  it('agrees with the full parser on every answer to a request our builder makes', () => {
    fc.assert(
      fc.property(requests, ({ request, text }) => {
        const fast = fastMatchKey(text);
        expect(fast).not.toBeNull();
        expect(fast).toEqual(fullKey(new TextEncoder().encode(text)));
        expect(fast).toMatchObject({ branch: request.branch, callId: request.callId, cseq: request.cseq });
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the full parser whenever it decides, on edited and byte-mutated answers', () => {
    const edited = fc
      .tuple(requests, fc.array(fc.nat(EDITS.length - 1), { maxLength: 4 }))
      .map(([{ text }, picks]) => picks.reduce((s, i) => (EDITS[i] as (s: string) => string)(s), text));
    const bytes = fc
      .tuple(
        edited,
        fc.array(fc.tuple(fc.nat(600), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), { maxLength: 6 }),
      )
      .map(([text, edits]) => {
        const out = Array.from(new TextEncoder().encode(text));
        for (const [at, value, kind] of edits) {
          if (kind === 'set') out[at % out.length] = value;
          else if (kind === 'insert') out.splice(at % (out.length + 1), 0, value);
          else out.splice(at % out.length, 1);
        }
        return Uint8Array.from(out);
      });
    let decided = 0;
    fc.assert(
      fc.property(bytes, (data) => {
        const fast = fastMatchKey(latin1(data));
        if (fast === null) return;
        decided += 1;
        expect(fast).toEqual(fullKey(data));
      }),
      { numRuns: 1_500 },
    );
    // The property means something only if the fast path decides a good share of these.
    expect(decided).toBeGreaterThan(150);
  });
});
