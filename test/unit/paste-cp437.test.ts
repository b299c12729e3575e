// Western Windows consoles write CP850 or CP437 depending on the installation. For every letter a
// German, French or Spanish ping prints (ä ö ü ß é è ê à ç í ó ú ñ …) the two code pages use the
// same byte, so a CP437 log is byte-for-byte the CP850 log and reads the same. These tests keep
// that claim honest against the real CP850 fixtures: if a fixture ever holds a letter the two
// code pages place differently, the first assertion fails and a CP437 fixture of its own is due.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/services/paste/decode';
import { parsePasted } from '../../src/domain/paste/recognize';

const PING = join(import.meta.dirname, '..', 'fixtures', 'ping');
const WESTERN = [
  'windows-de-abbreviated.txt',
  'windows-de-ipv6.txt',
  'windows-de-timeout.txt',
  'windows-es-crlf.txt',
  'windows-fr-timeouts.txt',
  'windows-fr-unreachable.txt',
];

describe('CP437 console logs', () => {
  it.each(WESTERN)('%s written in CP437 is the same bytes and the same parse as in CP850', (name) => {
    const cp850 = readFileSync(join(PING, name));
    const text = iconv.decode(cp850, 'cp850');
    expect([...text].some((c) => c.charCodeAt(0) > 0x7f)).toBe(true);
    const cp437 = iconv.encode(text, 'cp437');
    expect(Buffer.compare(cp437, cp850)).toBe(0);
    const decoded = decodeText(new Uint8Array(cp437));
    expect(decoded.text).toBe(text);
    expect(parsePasted(decoded.text)).toEqual(parsePasted(text));
  });

  it('a letter the two code pages place differently is not silently misread as box drawing', () => {
    // "Á" is 0xB5 in CP850 and a box-drawing glyph in CP437; Windows prints host names as given.
    const text = 'Ping wird ausgeführt für MÁQUINA [192.0.2.7] mit 32 Bytes Daten:\r\nAntwort von 192.0.2.7: Bytes=32 Zeit<1ms TTL=128\r\n';
    const decoded = decodeText(new Uint8Array(iconv.encode(text, 'cp850')));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toBe('cp850');
  });
});
