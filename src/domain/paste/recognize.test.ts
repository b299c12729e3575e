import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePasted, recognize } from './recognize';

describe('recognize', () => {
  it('knows a SIP request and response by the first line', () => {
    expect(recognize('OPTIONS sip:alice@example.net SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n')).toEqual({ kind: 'sip' });
    expect(recognize('SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n')).toEqual({ kind: 'sip' });
  });

  it('names the Windows language', () => {
    expect(recognize('Ping wird ausgeführt für 1.1.1.1 mit 32 Bytes Daten:\nAntwort von 1.1.1.1: Bytes=32 Zeit=15ms TTL=54\n')).toEqual({
      kind: 'ping',
      flavor: 'windows',
      language: 'de',
    });
    expect(recognize('Respuesta desde 8.8.8.8: bytes=32 tiempo=4ms TTL=115\n')).toEqual({
      kind: 'ping',
      flavor: 'windows',
      language: 'es',
    });
  });

  it('says why it gives up', () => {
    expect(recognize('')).toEqual({ kind: 'unknown', reason: 'empty text' });
    expect(recognize('hello world')).toMatchObject({ kind: 'unknown' });
  });

  it('dispatches to the parser', () => {
    const p = parsePasted('x 0 1\nh 0 10.0.0.1\np 0 1000 1\n');
    expect(p.kind).toBe('mtr');
    if (p.kind === 'mtr') expect(p.result.hops).toHaveLength(1);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        parsePasted(text);
      }),
    );
  });
});
