import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectSip } from './inspect';
import { headerValue, matchKey, parseSipMessage } from './message';
import { buildOptions, type OptionsParams } from './options';

const SAMPLE = [
  'SIP/2.0 200 OK',
  'v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
  'From: "A, B" <sip:a@example.com>;tag=1',
  'To: <sip:b@example.com>',
  'i: x@y',
  'CSeq: 1 OPTIONS',
  'Contact: <sip:a@h>, <sip:b@h>',
  'l: 3',
  '',
  'abc',
].join('\r\n');

/** Text that looks a little like SIP: fragments spliced together with odd separators. */
const sipish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'SIP/2.0',
        'INVITE',
        'sip:',
        '@',
        ':',
        ';',
        ',',
        '"',
        '\\',
        '<',
        '>',
        '\r\n',
        '\n',
        ' ',
        '\t',
        'Via',
        'v',
        'l: 9999',
        'CSeq: 1 X',
        '\r\n\r\n',
        '\u0000',
        '\u00ff',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** The sample with bytes replaced, inserted or cut at random places. */
const mutated = fc
  .array(fc.tuple(fc.nat(SAMPLE.length), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), { maxLength: 12 })
  .map((edits) => {
    const bytes = Array.from(new TextEncoder().encode(SAMPLE));
    for (const [at, value, kind] of edits) {
      if (kind === 'set') bytes[at % bytes.length] = value;
      else if (kind === 'insert') bytes.splice(at, 0, value);
      else bytes.splice(at, 1);
    }
    return new Uint8Array(bytes);
  });

const anyInput = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 2048 }), sipish, mutated);

describe('parsers never throw', () => {
  it('parseSipMessage returns a result for any input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseSipMessage(input);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) matchKey(result.message);
      }),
      { numRuns: 2000 },
    );
  });

  it('inspectSip returns a report for any input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = inspectSip(input);
        expect(result.valid).toBe(result.problems.every((p) => p.severity !== 'error'));
        expect(() => JSON.stringify(result)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast on pathological whitespace', () => {
    const blanks = ' '.repeat(60_000);
    const started = performance.now();
    inspectSip(`INVITE a${blanks}b SIP/2.0\r\nVia: SIP/2.0/UDP a${blanks}:5060\r\nTo: x${blanks}y\r\n\r\n`);
    parseSipMessage(`OPTIONS${blanks}x${blanks}SIP/2.0\r\n\r\n`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const host = fc.oneof(hostname, fc.ipV4(), fc.ipV6());
const options: fc.Arbitrary<OptionsParams> = fc.record({
  host,
  port: fc.integer({ min: 1, max: 65535 }),
  transport: fc.constantFrom('udp' as const, 'tcp' as const, 'tls' as const),
  localHost: host,
  localPort: fc.integer({ min: 1, max: 65535 }),
  cseq: fc.integer({ min: 0, max: 2147483647 }),
  version: fc.stringMatching(/^[0-9][0-9a-z.+-]{0,12}$/),
});
const hexSource = fc.infiniteStream(fc.uint8Array({ minLength: 32, maxLength: 32 }));

describe('OPTIONS round trip', () => {
  it('every request we build parses back to the same fields and inspects as valid', () => {
    fc.assert(
      fc.property(options, hexSource, (params, stream) => {
        const random = (bytes: number): string =>
          Array.from(stream.next().value.subarray(0, bytes), (b: number) => b.toString(16).padStart(2, '0')).join('');
        const request = buildOptions(params, random);
        const parsed = parseSipMessage(request.text);
        if (!parsed.ok) throw new Error(parsed.reason);
        const message = parsed.message;
        expect(message).toMatchObject({ kind: 'request', method: 'OPTIONS', uri: request.requestUri, version: 'SIP/2.0', body: '' });
        expect(matchKey(message)).toEqual({
          branch: request.branch,
          callId: request.callId,
          cseq: request.cseq,
          cseqMethod: 'OPTIONS',
          status: null,
          reason: null,
        });
        expect(headerValue(message, 'User-Agent')).toBe(`Switchyard/${params.version}`);
        expect(headerValue(message, 'From')).toMatch(new RegExp(`;tag=${request.fromTag}$`));
        const inspected = inspectSip(request.text);
        expect(inspected.problems).toEqual([]);
        expect(inspected.valid).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
