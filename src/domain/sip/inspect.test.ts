import { describe, expect, it } from 'vitest';
import { inspectSip } from './inspect';
import type { SipProblemCode } from './problems';
import { MAX_MESSAGE_BYTES } from './scan';

const crlf = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const HEADERS = [
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: "Alice, A." <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
];

const invite = (extra: string[] = [], body = ''): string =>
  crlf('INVITE sip:bob@example.com SIP/2.0', ...HEADERS, ...extra, `Content-Length: ${new TextEncoder().encode(body).length}`, '') + body;

const codes = (text: string): SipProblemCode[] => inspectSip(text).problems.map((p) => p.code);

describe('inspectSip: structure', () => {
  it('reads a request start line, headers in order and the body', () => {
    const result = inspectSip(invite(['Content-Type: text/plain'], 'hello'));
    expect(result).toMatchObject({ kind: 'request', method: 'INVITE', uri: 'sip:bob@example.com', version: 'SIP/2.0' });
    expect(result.headers.map((h) => h.name)).toEqual([
      'Via',
      'Max-Forwards',
      'To',
      'From',
      'Call-ID',
      'CSeq',
      'Content-Type',
      'Content-Length',
    ]);
    expect(result.body).toBe('hello');
    expect(result).toMatchObject({ valid: true, problems: [] });
  });

  it('reads a response start line', () => {
    const result = inspectSip(crlf('SIP/2.0 486 Busy Here', ...HEADERS.filter((h) => !h.startsWith('Max')), 'Content-Length: 0', ''));
    expect(result).toMatchObject({ kind: 'response', status: 486, reason: 'Busy Here', version: 'SIP/2.0', valid: true });
    expect(result.method).toBeUndefined();
  });

  it('expands compact names and keeps the name as written', () => {
    const result = inspectSip(crlf('OPTIONS sip:x.example SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 'MAX-FORWARDS: 70', 'l: 0', ''));
    expect(result.headers).toEqual([
      { name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1', rawName: 'v' },
      { name: 'Max-Forwards', value: '70', rawName: 'MAX-FORWARDS' },
      { name: 'Content-Length', value: '0', rawName: 'l' },
    ]);
  });

  it('splits list headers, but not quoted commas, angle-bracket commas, Contact * or Warning', () => {
    const result = inspectSip(
      invite([
        'Contact: "Smith, J" <sip:j@a.example>, <sip:x,y@b.example>;q=0.5',
        'Allow: INVITE,ACK ,  BYE',
        'Warning: 399 host "a, b", 399 host "c"',
        'Supported: timer, 100rel',
      ]),
    );
    const values = (name: string): string[] => result.headers.filter((h) => h.name === name).map((h) => h.value);
    expect(values('Contact')).toEqual(['"Smith, J" <sip:j@a.example>', '<sip:x,y@b.example>;q=0.5']);
    expect(values('Allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(values('Warning')).toEqual(['399 host "a, b", 399 host "c"']);
    expect(values('Supported')).toEqual(['timer', '100rel']);
    const star = inspectSip(
      crlf('REGISTER sip:example.com SIP/2.0', ...HEADERS.slice(0, 5), 'CSeq: 1 REGISTER', 'Contact: *', 'Expires: 0', 'l: 0', ''),
    );
    expect(star.headers.filter((h) => h.name === 'Contact')).toEqual([{ name: 'Contact', value: '*' }]);
    expect(star.valid).toBe(true);
  });

  it('joins folded lines', () => {
    const result = inspectSip(invite(['Subject: lunch', '   at noon']));
    expect(result.headers.find((h) => h.name === 'Subject')?.value).toBe('lunch at noon');
  });

  it('lists the headers of a paste that starts below the start line', () => {
    const result = inspectSip(crlf(...HEADERS, 'l: 0', ''));
    expect(result.kind).toBe('unknown');
    expect(result.headers).toHaveLength(7);
    expect(codes(crlf(...HEADERS, ''))).toContain('bad-start-line');
  });
});

describe('inspectSip: problems', () => {
  it.each([
    ['missing Via', invite().replace(/Via: .*\r\n/, ''), 'missing-header'],
    ['missing Max-Forwards in a request', invite().replace(/Max-Forwards: .*\r\n/, ''), 'missing-header'],
    ['Content-Length too large', invite().replace('Content-Length: 0', 'Content-Length: 10'), 'content-length-mismatch'],
    ['Content-Length not a number', invite().replace('Content-Length: 0', 'Content-Length: ten'), 'bad-content-length'],
    ['CSeq of another method', invite().replace('314159 INVITE', '314159 BYE'), 'cseq-method-mismatch'],
    ['CSeq without a method', invite().replace('314159 INVITE', '314159'), 'bad-cseq'],
    ['SIP/3.0', invite().replace(' SIP/2.0\r\n', ' SIP/3.0\r\n'), 'bad-version'],
    ['a Via without a host', invite().replace('SIP/2.0/UDP pc33.example.com;', 'SIP/2.0/UDP ;'), 'bad-via'],
    ['a Via with empty elements', invite().replace('branch=z9hG4bK776asdhds', 'branch=z9hG4bK776asdhds,,'), 'bad-via'],
    ['a Request-URI with no scheme', invite().replace('INVITE sip:bob@example.com', 'INVITE bob@example.com'), 'bad-request-uri'],
    ['a sip URI with no host', invite().replace('INVITE sip:bob@example.com', 'INVITE sip:bob@'), 'bad-request-uri'],
    ['a control character', invite(['Subject: a\u0007b']), 'invalid-character'],
    ['a header line without a colon', invite(['this is not a header']), 'bad-header-line'],
    ['a header name with a space', invite(['Bad Name: x']), 'bad-header-line'],
    ['Max-Forwards above 255', invite().replace('Max-Forwards: 70', 'Max-Forwards: 256'), 'bad-max-forwards'],
    ['a Call-ID with a space', invite().replace('Call-ID: a84b', 'Call-ID: a 84b'), 'bad-call-id'],
    ['two From headers', invite(['From: <sip:x@y>;tag=2']), 'duplicate-header'],
    ['a status code of four digits', crlf('SIP/2.0 2000 OK', ...HEADERS, 'l: 0', ''), 'bad-status-code'],
  ])('%s is an error', (_label, text, code) => {
    const result = inspectSip(text);
    expect(result.problems).toContainEqual(expect.objectContaining({ code, severity: 'error' }));
    expect(result.valid).toBe(false);
  });

  it.each([
    ['bytes after the body', `${invite()}garbage`, 'trailing-bytes'],
    ['no Content-Length', invite().replace('Content-Length: 0\r\n', ''), 'missing-content-length'],
    ['bare LF line ends', invite().replaceAll('\r\n', '\n'), 'bare-lf'],
    ['no empty line after the headers', invite().replace(/\r\n$/, ''), 'unterminated-headers'],
    ['a Via without a branch', invite().replace(';branch=z9hG4bK776asdhds', ''), 'via-missing-branch'],
    ['a very long value', invite([`Subject: ${'x'.repeat(5000)}`]), 'oversized-value'],
  ])('%s is a warning that leaves the message valid', (_label, text, code) => {
    const result = inspectSip(text);
    expect(result.problems).toContainEqual(expect.objectContaining({ code, severity: 'warning' }));
    expect(result.valid).toBe(true);
  });

  it('counts body bytes, not characters', () => {
    const body = 'Grüße, 東京';
    expect(inspectSip(invite(['Content-Type: text/plain'], body)).valid).toBe(true);
    const wrong = invite(['Content-Type: text/plain'], body).replace(/Content-Length: \d+/, `Content-Length: ${body.length}`);
    expect(codes(wrong)).toContain('trailing-bytes');
  });

  it('explains a length that only matches with CRLF line ends', () => {
    const text = invite(['Content-Type: application/sdp'], 'v=0\r\ns=-\r\n').replaceAll('\r\n', '\n');
    const problem = inspectSip(text).problems.find((p) => p.code === 'content-length-mismatch');
    expect(problem?.message).toMatch(/CRLF/);
  });

  it('warns about headers that are not UTF-8', () => {
    const bytes = new TextEncoder().encode(invite(['Subject: caf?']));
    bytes[bytes.indexOf(0x3f)] = 0xe9; // Latin-1 é
    expect(inspectSip(bytes).problems.map((p) => p.code)).toContain('invalid-utf8');
  });

  it('sums up a finding repeated many times', () => {
    const vias = Array.from({ length: 10 }, (_, i) => `Via: SIP/2.0/TCP h${i}.example.com`);
    const result = inspectSip(crlf('OPTIONS sip:x.example SIP/2.0', ...vias, ...HEADERS.slice(1, 5), 'CSeq: 1 OPTIONS', 'l: 0', ''));
    expect(result.problems.filter((p) => p.code === 'via-missing-branch')).toHaveLength(4);
  });

  it('says plainly what it cannot read', () => {
    expect(inspectSip('')).toMatchObject({ kind: 'unknown', valid: false, problems: [{ code: 'empty-message' }] });
    expect(inspectSip('x'.repeat(MAX_MESSAGE_BYTES + 1)).problems[0]?.code).toBe('too-large');
    expect(inspectSip('\u0000\u0001binary').problems[0]?.code).toBe('bad-start-line');
  });
});
