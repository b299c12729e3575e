import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSipLoopLine, parseSipsakOutput, sipUri } from './sipsak-result';

// Real sipsak 0.9.8.1 output, recorded against a real Kamailio (see test/fixtures/sipsak/README.md).
const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/sipsak/${name}.txt`, import.meta.url), 'utf8');
/** What the remote loop does to the output before printing it on its line. */
const flat = (text: string): string => text.replace(/[\r\n]/g, ' ');

describe('parseSipsakOutput on recorded sipsak runs', () => {
  it('reads a 200 OK with its round trip', () => {
    expect(parseSipsakOutput(fixture('ok-200'))).toEqual({ kind: 'answered', rttMs: 5.993, code: 200 });
  });

  it('reads a 503 as answered, its code kept (flagged downstream, not lost)', () => {
    expect(parseSipsakOutput(fixture('busy-503'))).toMatchObject({ kind: 'answered', code: 503 });
  });

  it('reads a 302 as a final answer (redirects are not followed)', () => {
    expect(parseSipsakOutput(fixture('moved-302'))).toMatchObject({ kind: 'answered', code: 302 });
  });

  it('reads a silent target as lost, and a refused port as lost naming why', () => {
    expect(parseSipsakOutput(fixture('silent-timeout'))).toEqual({ kind: 'lost', why: 'no answer before the deadline' });
    expect(parseSipsakOutput(fixture('closed-port-refused'))).toEqual({ kind: 'lost', why: 'connection refused' });
  });

  it('reads the same runs flattened onto one line, as the loop sends them', () => {
    for (const name of ['ok-200', 'busy-503', 'moved-302', 'silent-timeout', 'closed-port-refused']) {
      expect(parseSipsakOutput(flat(fixture(name)))).toEqual(parseSipsakOutput(fixture(name)));
    }
  });
});

describe('parseSipsakOutput on bad text', () => {
  it('takes sipsak summary, not a status line a hostile answer echoes earlier', () => {
    const forged = `message received: SIP/2.0 200 OK X-Fake: ** reply received after 0.001 ms ** SIP/2.0 200 OK  ${flat(fixture('busy-503'))}`;
    expect(parseSipsakOutput(forged)).toMatchObject({ kind: 'answered', code: 503 });
  });

  it('returns null, never throws, for anything it does not recognise', () => {
    for (const text of [
      '',
      'sipsak: not found',
      '** reply received after ms ** SIP/2.0 200 OK',
      '** reply received after 1.0 ms ** SIP/2.0 180 Ringing',
      '** reply received after 99999999 ms ** SIP/2.0 200 OK',
      'x'.repeat(20_000),
      '\u0000\uFFFF',
    ]) {
      expect(parseSipsakOutput(text)).toBeNull();
    }
  });
});

describe('parseSipLoopLine', () => {
  it('reads the target index and the result', () => {
    expect(parseSipLoopLine(`switchyard-sip 3 ${flat(fixture('ok-200'))}`)).toEqual({
      index: 3,
      result: { kind: 'answered', rttMs: 5.993, code: 200 },
    });
    expect(parseSipLoopLine(`switchyard-sip 0 ${flat(fixture('silent-timeout'))}`)).toMatchObject({ index: 0, result: { kind: 'lost' } });
  });

  it('ignores other lines and unreadable results', () => {
    for (const line of [
      'switchyard-sip-pid 42',
      'switchyard-sip x 200',
      'switchyard-sip 1 sipsak: not found',
      'noise',
      `switchyard-sip 12345 ${flat(fixture('ok-200'))}`,
    ]) {
      expect(parseSipLoopLine(line)).toBeNull();
    }
  });
});

describe('sipUri', () => {
  it('brackets IPv6 and keeps IPv4 and names as they are', () => {
    expect(sipUri('127.0.0.1', 5060)).toBe('sip:127.0.0.1:5060');
    expect(sipUri('::1', 5070)).toBe('sip:[::1]:5070');
    expect(sipUri('sbc.example.net', 5060)).toBe('sip:sbc.example.net:5060');
  });
});
