// Turns pasted or dropped bytes into text. Windows consoles write the OEM code page of their
// language, so a saved ping log is often CP850, CP866, CP932 or CP936 rather than UTF-8.
import iconv from 'iconv-lite';

export interface Decoded {
  text: string;
  encoding: string;
}

// Words ping and mtr print in each language; the candidate whose decoding shows them wins.
const CANDIDATES: ReadonlyArray<{ encoding: string; keywords: RegExp }> = [
  { encoding: 'cp866', keywords: /Ответ от|Превышен интервал|Статистика Ping|Обмен пакетами|Пакетов:/ },
  { encoding: 'cp932', keywords: /からの応答|要求がタイムアウト|ping 統計|パケット数/ },
  { encoding: 'cp936', keywords: /的回复|请求超时|统计信息|数据包:/ },
  { encoding: 'cp850', keywords: /ausgeführt|Zeitüberschreitung|für |Réponse|Délai|données|reçus|Estadísticas|Mínimo|Máximo/ },
  { encoding: 'cp437', keywords: /ausgeführt|Zeitüberschreitung|für |Réponse|données|Estadísticas|Mínimo/ },
];

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (isValidUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const c of CANDIDATES) {
    const text = iconv.decode(buffer, c.encoding);
    if (c.keywords.test(text)) return { text, encoding: c.encoding };
  }
  // No keywords anywhere: CP850 maps every byte, so nothing is lost, only perhaps misread.
  return { text: iconv.decode(buffer, 'cp850'), encoding: 'cp850' };
}
