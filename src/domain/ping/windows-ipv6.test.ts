import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePing } from './reader';

// A Windows reply names its source before a colon, and an IPv6 address is full of colons: the
// address must be read whole, in every language, not cut at its first colon.

describe('Windows replies from IPv6 addresses', () => {
  it.each([
    ['en', 'Pinging ::1 with 32 bytes of data:\r\nReply from 2001:db8::53: time=11ms\r\nReply from 2001:db8::53: time<1ms\r\n'],
    [
      'de',
      'Ping wird ausgeführt für ::1 mit 32 Bytes Daten:\r\nAntwort von 2001:db8::53: Zeit=11ms\r\nAntwort von 2001:db8::53: Zeit<1ms\r\n',
    ],
    [
      'fr',
      "Envoi d'une requête 'Ping'  ::1 avec 32 octets de données :\r\nRéponse de 2001:db8::53 : temps=11 ms\r\nRéponse de 2001:db8::53 : temps<1ms\r\n",
    ],
    [
      'es',
      'Haciendo ping a ::1 con 32 bytes de datos:\r\nRespuesta desde 2001:db8::53: tiempo=11ms\r\nRespuesta desde 2001:db8::53: tiempo<1m\r\n',
    ],
    ['ru', 'Обмен пакетами с ::1 по с 32 байтами данных:\r\nОтвет от 2001:db8::53: время=11мс\r\nОтвет от 2001:db8::53: время<1мс\r\n'],
  ])('%s: from is the whole address', (_lang, text) => {
    const result = parsePing(text);
    expect(result.replies.map((r) => r.from)).toEqual(['2001:db8::53', '2001:db8::53']);
    expect(result.replies[0]?.rttMs).toBe(11);
  });

  it('the recorded German IPv6 fixture (CP850) keeps each reply source whole', () => {
    // Only ASCII matters for the reply lines, so latin1 reads them as CP850 would.
    const text = readFileSync(new URL('../../../test/fixtures/ping/windows-de-ipv6.txt', import.meta.url), 'latin1');
    const result = parsePing(text);
    expect(result.replies).toHaveLength(4);
    expect(new Set(result.replies.map((r) => r.from))).toEqual(new Set(['2a00:1450:4001:810::2003']));
    expect(result.summary).toMatchObject({ sent: 4, received: 4, minMs: 11, maxMs: 18 });
  });

  it('IPv4 replies still read as before', () => {
    const result = parsePing('Antwort von 192.0.2.1: Bytes=32 Zeit=5ms TTL=57\r\n');
    expect(result.replies[0]).toMatchObject({ from: '192.0.2.1', rttMs: 5, ttl: 57 });
  });
});
