import { describe, expect, it } from 'vitest';
import { canonicalHeaderName, isListHeader } from './compact-forms';
import { answersProbe, headerValue, headerValues, matchKey, parseSipMessage, type SipMessage } from './message';
import { MAX_MESSAGE_BYTES } from './scan';

const crlf = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const OK_200 = crlf(
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc123;rport=5060;received=192.0.2.1',
  'From: <sip:switchyard@192.0.2.1:5060>;tag=f00d',
  'To: <sip:198.51.100.7:5060>;tag=as58f4',
  'Call-ID: 0123abcd',
  'CSeq: 1 OPTIONS',
  'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE',
  'Content-Length: 0',
  '',
);

function parsed(input: string | Uint8Array): SipMessage {
  const result = parseSipMessage(input);
  if (!result.ok) throw new Error(`expected a message, got: ${result.reason}`);
  return result.message;
}

describe('compact forms', () => {
  it.each([
    ['v', 'Via'],
    ['i', 'Call-ID'],
    ['f', 'From'],
    ['t', 'To'],
    ['l', 'Content-Length'],
    ['m', 'Contact'],
    ['c', 'Content-Type'],
    ['k', 'Supported'],
    ['s', 'Subject'],
    ['e', 'Content-Encoding'],
    ['o', 'Event'],
    ['r', 'Refer-To'],
    ['u', 'Allow-Events'],
    ['x', 'Session-Expires'],
    ['y', 'Identity'],
    ['b', 'Referred-By'],
    ['a', 'Accept-Contact'],
    ['d', 'Request-Disposition'],
    ['V', 'Via'],
    ['I', 'Call-ID'],
  ])('%s is %s', (compact, full) => {
    expect(canonicalHeaderName(compact)).toBe(full);
  });

  it('spells known names the usual way and leaves unknown names alone', () => {
    expect(canonicalHeaderName('cAlL-iD')).toBe('Call-ID');
    expect(canonicalHeaderName('CSEQ')).toBe('CSeq');
    expect(canonicalHeaderName('X-Custom')).toBe('X-Custom');
  });

  it('splits only headers whose grammar is a plain list', () => {
    expect(isListHeader('Via')).toBe(true);
    expect(isListHeader('m')).toBe(true);
    expect(isListHeader('Warning')).toBe(false);
    expect(isListHeader('WWW-Authenticate')).toBe(false);
  });
});

describe('parseSipMessage', () => {
  it('reads a response', () => {
    const message = parsed(OK_200);
    expect(message).toMatchObject({ kind: 'response', status: 200, reason: 'OK', version: 'SIP/2.0', body: '' });
    expect(headerValues(message, 'Allow')).toEqual(['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE']);
  });

  it('reads a request from bytes', () => {
    const message = parsed(new TextEncoder().encode(crlf('OPTIONS sip:a.example.com SIP/2.0', 'Max-Forwards: 70', '')));
    expect(message).toMatchObject({ kind: 'request', method: 'OPTIONS', uri: 'sip:a.example.com' });
  });

  it('expands compact names, ignores case and whitespace around the colon', () => {
    const message = parsed(crlf('SIP/2.0 200 OK', 'v : SIP/2.0/UDP h;branch=z9hG4bK1', 'i:abc', 'cSeQ   :  5  OPTIONS', 'l: 0', ''));
    expect(headerValue(message, 'Via')).toBe('SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(headerValue(message, 'call-id')).toBe('abc');
    expect(headerValue(message, 'CSeq')).toBe('5  OPTIONS');
    expect(message.headers[0]).toEqual({ name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1', rawName: 'v' });
  });

  it('joins folded lines', () => {
    const message = parsed(crlf('SIP/2.0 200 OK', 'Subject: one', '  two', '\tthree', 'Call-ID: x', ''));
    expect(headerValue(message, 'Subject')).toBe('one two three');
  });

  it('accepts bare LF line ends and keep-alive CRLFs before the start line', () => {
    const message = parsed(`\r\n\r\n${OK_200.replaceAll('\r\n', '\n')}`);
    expect(matchKey(message).branch).toBe('z9hG4bKabc123');
  });

  it('takes the body Content-Length announces and ignores the rest of the datagram', () => {
    const message = parsed(crlf('SIP/2.0 200 OK', 'Content-Length: 4', '', 'bodyEXTRA'));
    expect(message.body).toBe('body');
  });

  it('refuses oversized input before reading it', () => {
    expect(parseSipMessage('x'.repeat(MAX_MESSAGE_BYTES + 1))).toEqual({ ok: false, reason: expect.stringContaining('larger') });
    expect(parseSipMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1)).ok).toBe(false);
    // A string under the limit in characters but over it in UTF-8 bytes.
    expect(parseSipMessage(`SIP/2.0 200 ${'é'.repeat(MAX_MESSAGE_BYTES / 2)}`).ok).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['only keep-alives', '\r\n\r\n'],
    ['binary', String.fromCharCode(0, 1, 2, 3)],
    ['an HTTP response', crlf('HTTP/1.1 200 OK', 'Server: x', '')],
    ['text', 'hello world'],
    ['a status line with a bad version', crlf('SIP/two 200 OK', '')],
    ['an out-of-range status', crlf('SIP/2.0 4294967301 big', '')],
  ])('refuses %s', (_label, input) => {
    expect(parseSipMessage(input).ok).toBe(false);
  });
});

describe('matchKey', () => {
  it('gives the top Via branch, Call-ID, CSeq and status', () => {
    expect(matchKey(parsed(OK_200))).toEqual({
      branch: 'z9hG4bKabc123',
      callId: '0123abcd',
      cseq: 1,
      cseqMethod: 'OPTIONS',
      status: 200,
      reason: 'OK',
    });
  });

  it('takes the first Via element when one header holds several', () => {
    const message = parsed(crlf('SIP/2.0 404 Not Found', 'Via: SIP/2.0/UDP a;branch=z9hG4bKtop, SIP/2.0/UDP b;branch=z9hG4bKnext', ''));
    expect(matchKey(message).branch).toBe('z9hG4bKtop');
  });

  it('gives nulls for what is missing', () => {
    const message = parsed(crlf('OPTIONS sip:x SIP/2.0', ''));
    expect(matchKey(message)).toEqual({ branch: null, callId: null, cseq: null, cseqMethod: null, status: null, reason: null });
  });

  it('pairs an answer with its probe by branch, Call-ID and CSeq method', () => {
    const message = parsed(OK_200);
    expect(answersProbe(message, { branch: 'z9hG4bKabc123', callId: '0123abcd', method: 'OPTIONS' })).toBe(true);
    expect(answersProbe(message, { branch: 'z9hG4bKother', callId: '0123abcd', method: 'OPTIONS' })).toBe(false);
    expect(answersProbe(message, { branch: 'z9hG4bKabc123', callId: 'other', method: 'OPTIONS' })).toBe(false);
    expect(answersProbe(message, { branch: 'z9hG4bKabc123', callId: '0123abcd', method: 'INVITE' })).toBe(false);
  });
});
