// Windows ping.exe, any of the languages in windows-lang.ts. Windows prints no sequence
// numbers; the reader numbers replies 1..N in order, timeouts included.
import type { LineEvent } from './events';
import { WINDOWS_LANGUAGES } from './windows-lang';
import { int, num } from './text';

const TTL = /TTL=(\d+)/i;
const HEADER = [
  /^Pinging (\S+)(?: \[([^\]]+)\])? with/,
  /^Ping wird ausgeführt für (\S+)(?: \[([^\]]+)\])?/,
  /^Envoi d.une requ[eê]te 'Ping'\s+(\S+)(?: \[([^\]]+)\])?/,
  /^Haciendo ping a (\S+)(?: \[([^\]]+)\])?/,
  /^(\S+?)(?: \[([^\]]+)\])?\s*に ping を送信しています/,
  /^正在 Ping (\S+)(?: \[([^\]]+)\])?/,
  /^Ping (\S+)(?: \[([^\]]+)\])? \(使用/,
  /^Обмен пакетами с (\S+)(?: \[([^\]]+)\])?/,
];
// Three "label = N" pairs: the Sent/Received/Lost line in every language.
const COUNTS = /=\s*(\d+)\s*,\s*[^=,]*=\s*(\d+)\s*,\s*[^=,]*=\s*(\d+)/;
const UNIT = '(?:ms|мсек|мс)';
// Minimum, Maximum, Average in that order in every language.
const RTT = new RegExp(`=\\s*([\\d.]+)\\s*${UNIT}\\s*,\\s*[^=,]*=\\s*([\\d.]+)\\s*${UNIT}\\s*,\\s*[^=,]*=\\s*([\\d.]+)\\s*${UNIT}`);
// Title of the round-trip block, and what surrounds a pasted console session.
const RTT_TITLE =
  /round trip times|Zeitangaben in Millisek|Dur[ée]e approximative|Tiempos aproximados|ラウンド トリップの概算時間|往返行程的估计时间|大約的來回時間|время приема-передачи/i;
const PROMPT = /^(?:PS )?[A-Z]:\\[^>]*>|^>/;
const LOSS = /\(\D*?(\d+(?:\.\d+)?)\s*%/;

function replyTime(line: string): number | null | undefined {
  for (const lang of WINDOWS_LANGUAGES) {
    const m = new RegExp(`${lang.time}\\s*([=<])\\s*([\\d.]+)\\s*${UNIT}`, 'i').exec(line);
    // "<1ms" is counted as 0 ms, as Windows' own statistics count it.
    if (m) return m[1] === '<' ? 0 : num(m[2]);
  }
  return undefined;
}

export function parseWindowsLine(raw: string): LineEvent | null {
  const line = raw.trim();
  for (const lang of WINDOWS_LANGUAGES) {
    if (lang.timeout.test(line)) {
      return { kind: 'reply', numbered: false, reply: { seq: null, ttl: null, rttMs: null, duplicate: false, error: 'timeout' } };
    }
  }
  for (const lang of WINDOWS_LANGUAGES) {
    const from = lang.replyFrom.exec(line);
    if (!from) continue;
    const address = from[1] ?? '';
    const time = replyTime(line);
    if (time !== undefined) {
      return {
        kind: 'reply',
        numbered: false,
        reply: { seq: null, ttl: int(TTL.exec(line)?.[1]), rttMs: time, from: address, duplicate: false },
      };
    }
    const message = line.slice(from[0].length).trim();
    // Windows counts these replies as received, but no echo came back: keep them as errors.
    const error = /unreachable|erreichbar|joindre|inaccesible|到達できません|无法访问|無法連線|недоступ/i.test(message)
      ? `unreachable: ${message}`
      : `error: ${message}`;
    return { kind: 'reply', numbered: false, reply: { seq: null, ttl: null, rttMs: null, from: address, duplicate: false, error } };
  }
  for (const re of HEADER) {
    const m = re.exec(line);
    if (m)
      return m[2] === undefined
        ? { kind: 'header', target: m[1] ?? '', address: m[1] ?? '' }
        : { kind: 'header', target: m[1] ?? '', address: m[2] };
  }
  for (const lang of WINDOWS_LANGUAGES) {
    const m = lang.statsHeader.exec(line);
    if (m) return { kind: 'stats-header', target: (m[1] ?? '').trim() };
  }
  let m = RTT.exec(line);
  if (m) return { kind: 'rtt', min: num(m[1]), avg: num(m[3]), max: num(m[2]), stddev: null };
  m = COUNTS.exec(line);
  if (m) {
    const loss = LOSS.exec(line.slice(m.index + m[0].length));
    return { kind: 'counts', sent: int(m[1]) ?? 0, received: int(m[2]) ?? 0, duplicates: 0, errors: 0, printedLoss: num(loss?.[1]) };
  }
  m = /^\((\d+(?:\.\d+)?)\s*%/.exec(line);
  if (m) return { kind: 'loss', printedLoss: num(m[1]) ?? 0 };
  if (/^PING: /.test(line)) return { kind: 'error', message: line };
  if (RTT_TITLE.test(line) || /^(?:\^C|Control-C)$/.test(line) || PROMPT.test(line)) return { kind: 'ignore' };
  return null;
}
