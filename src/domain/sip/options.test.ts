import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { inspectSip } from './inspect';
import { headerValue, matchKey, parseSipMessage } from './message';
import { buildOptions, type OptionsParams } from './options';
import { cryptoRandomHex, sequentialRandomHex } from './random';

const base: OptionsParams = {
  host: 'sip1.example.net',
  port: 5060,
  transport: 'udp',
  localHost: '192.0.2.10',
  localPort: 40000,
  version: '0.1.0',
};

describe('buildOptions', () => {
  it('writes a complete OPTIONS request', () => {
    const request = buildOptions(base, sequentialRandomHex());
    expect(request.text).toBe(
      [
        'OPTIONS sip:sip1.example.net:5060;transport=udp SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.10:40000;branch=z9hG4bK000000000000000000000001;rport',
        'Max-Forwards: 70',
        'From: <sip:switchyard@192.0.2.10:40000>;tag=0000000000000003',
        'To: <sip:sip1.example.net:5060>',
        'Call-ID: 00000000000000000000000000000002',
        'CSeq: 1 OPTIONS',
        'Contact: <sip:switchyard@192.0.2.10:40000;transport=udp>',
        'Accept: application/sdp',
        'User-Agent: Switchyard/0.1.0',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(request).toMatchObject({
      requestUri: 'sip:sip1.example.net:5060;transport=udp',
      branch: 'z9hG4bK000000000000000000000001',
      callId: '00000000000000000000000000000002',
      fromTag: '0000000000000003',
      cseq: 1,
      method: 'OPTIONS',
    });
  });

  it('brackets IPv6 addresses and writes them canonically', () => {
    const request = buildOptions({ ...base, host: '2001:DB8:0::7', localHost: '[2001:db8::1]', transport: 'tls', port: 5061 });
    expect(request.requestUri).toBe('sip:[2001:db8::7]:5061;transport=tls');
    expect(request.text).toContain('Via: SIP/2.0/TLS [2001:db8::1]:40000;branch=');
    expect(inspectSip(request.text).valid).toBe(true);
  });

  it('names the transport in Via and Contact', () => {
    const request = buildOptions({ ...base, transport: 'tcp' });
    expect(request.text).toContain('Via: SIP/2.0/TCP ');
    expect(request.text).toContain(';transport=tcp>');
  });

  it('uses the given CSeq', () => {
    const request = buildOptions({ ...base, cseq: 42 });
    expect(request.text).toContain('CSeq: 42 OPTIONS\r\n');
    expect(request.cseq).toBe(42);
  });

  it('always says Switchyard, never a scanner name', () => {
    const agent = headerValue(parsedOf(buildOptions(base).text), 'User-Agent') ?? '';
    expect(agent).toBe('Switchyard/0.1.0');
    expect(agent).not.toMatch(/friendly-scanner|sipvicious|sipcli|sipsak|sundayddr|iWar|VaxSIPUserAgent/i);
  });

  it('draws fresh identifiers from the crypto source by default', () => {
    const a = buildOptions(base);
    const b = buildOptions(base);
    expect(a.branch).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect(a.callId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.branch).not.toBe(b.branch);
    expect(a.callId).not.toBe(b.callId);
    expect(cryptoRandomHex(4)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('parses back to the identifiers it returns', () => {
    const request = buildOptions(base);
    expect(matchKey(parsedOf(request.text))).toEqual({
      branch: request.branch,
      callId: request.callId,
      cseq: 1,
      cseqMethod: 'OPTIONS',
      status: null,
      reason: null,
    });
    expect(inspectSip(request.text)).toMatchObject({ valid: true, problems: [] });
  });

  it.each([
    ['a host with a space', { host: 'bad host' }],
    ['a host with CRLF', { host: 'a.example\r\nX-Evil: 1' }],
    ['an IPv6 zone index', { host: 'fe80::1%eth0' }],
    ['port 0', { port: 0 }],
    ['port 70000', { port: 70000 }],
    ['a version with spaces', { version: '1.0 friendly-scanner' }],
    ['a negative CSeq', { cseq: -1 }],
    ['a bad local host', { localHost: '' }],
  ])('refuses %s', (_label, change) => {
    expect(() => buildOptions({ ...base, ...change })).toThrow(DomainError);
  });

  it('refuses a random source that returns anything but hex', () => {
    expect(() => buildOptions(base, () => 'zz\r\n')).toThrow(/hex/);
  });
});

function parsedOf(text: string) {
  const result = parseSipMessage(text);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}
