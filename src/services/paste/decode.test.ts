import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeText } from './decode';

describe('decodeText', () => {
  it('reads UTF-8 with and without BOM, and UTF-16LE with BOM', () => {
    const text = 'Réponse de 1.1.1.1 : octets=32 temps=6 ms TTL=58';
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16le' });
  });

  it.each([
    ['cp866', 'Ответ от 8.8.8.8: число байт=32 время=37мс TTL=55'],
    ['cp932', '8.8.8.8 からの応答: バイト数 =32 時間 =4ms TTL=58'],
    ['cp936', '来自 8.8.8.8 的回复: 字节=32 时间=4ms TTL=58'],
    ['cp850', 'Ping wird ausgeführt für 8.8.8.8 mit 32 Bytes Daten:'],
  ])('picks %s by the keywords it reveals', (encoding, text) => {
    expect(decodeText(iconv.encode(text, encoding))).toEqual({ text, encoding });
  });
});
