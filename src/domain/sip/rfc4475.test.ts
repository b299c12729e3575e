import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectSip } from './inspect';
import { parseSipMessage } from './message';
import type { SipProblemCode } from './problems';

// Reading fixtures needs the file system; the code under test does not.
const dir = fileURLToPath(new URL('../../../test/fixtures/sip/rfc4475/', import.meta.url));
const bytes = (file: string): Uint8Array => new Uint8Array(readFileSync(dir + file));

/** RFC 4475 section 3.1.1: syntactically valid; every one must inspect as valid. */
const VALID = [
  '3.1.1.1-wsinv.sip',
  '3.1.1.2-intmeth.sip',
  '3.1.1.3-esc01.sip',
  '3.1.1.4-escnull.sip',
  '3.1.1.5-esc02.sip',
  '3.1.1.6-lwsdisp.sip',
  '3.1.1.7-longreq.sip',
  '3.1.1.8-dblreq.sip',
  '3.1.1.9-semiuri.sip',
  '3.1.1.10-transports.sip',
  '3.1.1.11-mpart01.sip',
  '3.1.1.12-unreason.sip',
  '3.1.1.13-noreason.sip',
];

/** RFC 4475 section 3.1.2: invalid; the errors the inspector must report for each. */
const INVALID: [file: string, expected: SipProblemCode[]][] = [
  ['3.1.2.1-badinv01.sip', ['bad-via', 'empty-parameter']],
  ['3.1.2.2-clerr.sip', ['content-length-mismatch']],
  ['3.1.2.3-ncl.sip', ['bad-content-length']],
  ['3.1.2.4-scalar02.sip', ['bad-cseq', 'bad-max-forwards', 'bad-expires']],
  ['3.1.2.5-scalarlg.sip', ['bad-cseq', 'bad-retry-after', 'bad-warning']],
  ['3.1.2.6-quotbal.sip', ['unterminated-quote']],
  ['3.1.2.7-ltgtruri.sip', ['bad-request-uri']],
  ['3.1.2.8-lwsruri.sip', ['bad-request-uri']],
  ['3.1.2.9-lwsstart.sip', ['start-line-whitespace']],
  ['3.1.2.10-trws.sip', ['start-line-whitespace']],
  ['3.1.2.11-escruri.sip', ['request-uri-headers']],
  ['3.1.2.12-baddate.sip', ['bad-date']],
  ['3.1.2.13-regbadct.sip', ['unenclosed-uri']],
  ['3.1.2.14-badaspec.sip', ['bad-address']],
  ['3.1.2.15-baddn.sip', ['bad-display-name']],
  ['3.1.2.16-badvers.sip', ['bad-version']],
  ['3.1.2.17-mismatch01.sip', ['cseq-method-mismatch']],
  ['3.1.2.18-mismatch02.sip', ['cseq-method-mismatch']],
  ['3.1.2.19-bigcode.sip', ['bad-status-code']],
];

/**
 * Sections 3.2 to 3.4 test transaction and application behaviour, not syntax. Where a message
 * inspector can see the fault it names it; otherwise the reason it cannot is written down.
 */
const SEMANTIC: [file: string, expected: SipProblemCode[], note: string][] = [
  ['3.2.1-badbranch.sip', ['via-weak-branch'], 'branch is only the magic cookie; a warning, the syntax is fine'],
  ['3.3.1-insuf.sip', ['missing-header'], 'To, From, Call-ID and CSeq are missing'],
  ['3.3.2-unkscm.sip', [], 'unknown URI scheme: valid syntax; only the receiving element knows it cannot route it'],
  ['3.3.3-novelsc.sip', [], "atypical scheme: valid syntax; support is the receiver's business"],
  ['3.3.4-unksm2.sip', [], 'unknown schemes in To/From: valid syntax'],
  ['3.3.5-bext01.sip', [], 'unknown Require/Proxy-Require options: only the receiver knows what it supports'],
  ['3.3.6-invut.sip', [], 'unknown Content-Type: only the receiver knows which types it accepts'],
  ['3.3.7-regaut01.sip', [], 'unknown authorization scheme: a registrar decision'],
  ['3.3.8-multi01.sip', ['duplicate-header'], 'To, From, Call-ID, CSeq and Max-Forwards repeated'],
  ['3.3.9-mcl01.sip', ['duplicate-header'], 'two Content-Length headers'],
  ['3.3.10-bcast.sip', [], 'broadcast address in Via: valid syntax; a routing decision for the receiver'],
  ['3.3.11-zeromf.sip', [], 'Max-Forwards 0 is legal; a proxy would answer 483, an endpoint may process it'],
  ['3.3.12-cparam01.sip', [], 'Contact parameter semantics: a registrar decision'],
  ['3.3.13-cparam02.sip', [], 'URI parameter in Contact: a registrar decision'],
  ['3.3.14-regescrt.sip', [], 'escaped headers in a Contact URI: a registrar decision'],
  ['3.3.15-sdp01.sip', [], 'Accept without application/sdp for an INVITE with SDP: negotiation, not syntax'],
  ['3.4.1-inv2543.sip', ['missing-header'], 'RFC 2543 syntax: no Max-Forwards (and no branch)'],
];

const codes = (file: string): SipProblemCode[] =>
  inspectSip(bytes(file))
    .problems.filter((p) => p.severity === 'error')
    .map((p) => p.code);

describe('RFC 4475 torture messages', () => {
  it('has all 49 messages as fixtures', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.sip'))
      .sort();
    const listed = [...VALID, ...INVALID.map(([f]) => f), ...SEMANTIC.map(([f]) => f)].sort();
    expect(files).toEqual(listed);
    expect(files).toHaveLength(49);
  });

  it.each(VALID)('%s (3.1.1) inspects as valid and parses', (file) => {
    const result = inspectSip(bytes(file));
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
    expect(parseSipMessage(bytes(file)).ok).toBe(true);
  });

  it.each(INVALID)('%s (3.1.2) reports %j', (file, expected) => {
    const result = inspectSip(bytes(file));
    expect(result.valid).toBe(false);
    for (const code of expected) expect(codes(file)).toContain(code);
  });

  it.each(SEMANTIC)('%s (3.2-3.4) reports %j (%s)', (file, expected) => {
    const result = inspectSip(bytes(file));
    const found = result.problems.map((p) => p.code);
    for (const code of expected) expect(found).toContain(code);
    if (expected.length === 0) expect(result.valid).toBe(true);
  });

  it('reads the tortuous INVITE (3.1.1.1) field by field', () => {
    const result = inspectSip(bytes('3.1.1.1-wsinv.sip'));
    const value = (name: string): string[] => result.headers.filter((h) => h.name === name).map((h) => h.value);
    expect(result.method).toBe('INVITE');
    expect(value('Max-Forwards')).toEqual(['0068']);
    expect(value('CSeq')).toEqual(['0009 INVITE']);
    expect(value('Subject')).toEqual(['']);
    expect(value('NewFangledHeader')).toEqual(['newfangled value continued newfangled value']);
    expect(value('Via')).toHaveLength(3);
    expect(result.headers.find((h) => h.rawName === 'm')?.name).toBe('Contact');
    expect(new TextEncoder().encode(result.body)).toHaveLength(150);
  });

  it('keeps only the announced body of a datagram with trailing octets (3.1.1.8)', () => {
    const result = inspectSip(bytes('3.1.1.8-dblreq.sip'));
    expect(result.body).toBe('');
    expect(result.problems.map((p) => p.code)).toContain('trailing-bytes');
  });

  it('counts a binary multipart body in bytes (3.1.1.11)', () => {
    const result = inspectSip(bytes('3.1.1.11-mpart01.sip'));
    expect(result.problems.map((p) => p.code)).not.toContain('content-length-mismatch');
  });

  it('refuses the overlarge status code in the probe parser (3.1.2.19)', () => {
    expect(parseSipMessage(bytes('3.1.2.19-bigcode.sip')).ok).toBe(false);
  });
});
