// One line of `fping -l` (loop mode) output. fping 5 prints, per target and probe:
//   127.0.0.1  : [3], 64 bytes, 0.046 ms (0.046 avg, 0% loss)
//   10.254.0.2 : [1], timed out (NaN avg, 100% loss)
// optionally preceded by a `-D` timestamp `[1795610953.21248] `. Older fping (3.x) prints
// "84 bytes" and "xmt/rcv" forms; anything else (ICMP error notices, summaries) is not a sample.

export type FpingLine = { target: string; seq: number; rttMs: number | null; timestamp?: number };

const LINE = /^(?:\[(\d+(?:\.\d+)?)\]\s+)?(\S+)\s*:\s*\[(\d+)\],\s*(?:\d+ bytes,\s*([\d.]+) ms|timed out)\b/;

/** The reference reading of a line: the grammar above, as one regular expression. */
export function parseFpingLine(line: string): FpingLine | null {
  const m = LINE.exec(line.trim());
  if (!m || m[2] === undefined || m[3] === undefined) return null;
  const rtt = m[4] === undefined ? null : Number(m[4]);
  if (rtt !== null && !Number.isFinite(rtt)) return null;
  const out: FpingLine = { target: m[2], seq: Number(m[3]), rttMs: rtt };
  if (m[1] !== undefined) out.timestamp = Math.round(Number(m[1]) * 1000);
  return out;
}

const SPACE = 0x20;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWord = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * The same reading as `parseFpingLine`, made for a thousand lines a second: it walks the exact
 * form fping prints (single spaces, no leading blanks) with indexOf and char codes, and hands
 * any other form to the reference, so both always agree (a property test holds them to it).
 */
export function scanFpingLine(line: string): FpingLine | null {
  let i = 0;
  let timestamp: number | undefined;
  if (line.charCodeAt(0) === 0x5b /* [ */) {
    const close = line.indexOf('] ', 1);
    if (close < 2 || !isPlainNumber(line, 1, close)) return parseFpingLine(line);
    timestamp = Math.round(Number(line.slice(1, close)) * 1000);
    i = close + 2;
  }
  const first = line.charCodeAt(i);
  // Anything but a visible ASCII character where the target starts: not the common form.
  if (!(first > SPACE && first < 0x7f) || first === 0x5b) return parseFpingLine(line);
  const space = line.indexOf(' ', i);
  if (space < 0) return parseFpingLine(line);
  const target = line.slice(i, space);
  let j = space;
  while (line.charCodeAt(j) === SPACE) j += 1;
  if (!line.startsWith(': [', j) || !isVisibleAscii(target)) return parseFpingLine(line);
  const seqEnd = line.indexOf('], ', j + 3);
  if (seqEnd <= j + 3 || !isDigits(line, j + 3, seqEnd)) return parseFpingLine(line);
  const seq = Number(line.slice(j + 3, seqEnd));
  let k = seqEnd + 3;
  let rttMs: number | null;
  if (line.startsWith('timed out', k)) {
    rttMs = null;
    k += 9;
  } else {
    const bytes = line.indexOf(' bytes, ', k);
    if (bytes <= k || !isDigits(line, k, bytes)) return parseFpingLine(line);
    const ms = line.indexOf(' ms', bytes + 8);
    if (ms <= bytes + 8 || !isNumberChars(line, bytes + 8, ms)) return parseFpingLine(line);
    rttMs = Number(line.slice(bytes + 8, ms));
    if (!Number.isFinite(rttMs)) return null;
    k = ms + 3;
  }
  // The regex's closing \b: the word must not run on.
  if (k < line.length && isWord(line.charCodeAt(k))) return parseFpingLine(line);
  const out: FpingLine = { target, seq, rttMs };
  if (timestamp !== undefined) out.timestamp = timestamp;
  return out;
}

function isDigits(s: string, from: number, to: number): boolean {
  for (let p = from; p < to; p += 1) if (!isDigit(s.charCodeAt(p))) return false;
  return to > from;
}

function isNumberChars(s: string, from: number, to: number): boolean {
  for (let p = from; p < to; p += 1) {
    const c = s.charCodeAt(p);
    if (!isDigit(c) && c !== 0x2e) return false;
  }
  return to > from;
}

/** `\d+(\.\d+)?`, as the timestamp of `-D`. */
function isPlainNumber(s: string, from: number, to: number): boolean {
  const dot = s.indexOf('.', from);
  if (dot < 0 || dot >= to) return isDigits(s, from, to);
  return isDigits(s, from, dot) && isDigits(s, dot + 1, to);
}

function isVisibleAscii(s: string): boolean {
  for (let p = 0; p < s.length; p += 1) {
    const c = s.charCodeAt(p);
    if (c <= SPACE || c >= 0x7f) return false;
  }
  return true;
}
