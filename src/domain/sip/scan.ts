import { trimWs } from './lexical';

/**
 * The first pass over raw bytes, shared by the probe parser and the inspector: size limit, header
 * block and body located, lines unfolded into header fields. Works on bytes so Content-Length can
 * be compared with the real octet count even when a body is binary (RFC 4475 3.1.1.11).
 */

/** RFC 3261 section 18.1.1 keeps UDP well under this; anything larger is not a probe answer. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface ScannedField {
  /** The name exactly as written, whitespace before the colon removed. */
  rawName: string;
  /** Folded lines joined with one space, outer whitespace trimmed. */
  value: string;
}

export interface Scan {
  /** First line of the header block (normally the start line). */
  firstLine: string;
  /** The following lines, unfolded into fields. */
  fields: ScannedField[];
  /** Lines that are neither a header field nor a continuation. */
  badLines: string[];
  /** Everything after the empty line that ends the headers. */
  body: Uint8Array;
  /** False when the input ended before the empty line that closes the header block. */
  terminated: boolean;
  /** Lines in the header block ended by a bare LF instead of CRLF. */
  bareLfLines: number;
  /** The header block was not valid UTF-8 (bad sequences were shown as U+FFFD). */
  invalidUtf8: boolean;
}

export type ScanOutcome = { ok: true; scan: Scan } | { ok: false; reason: string };

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

export function toBytes(input: string | Uint8Array): Uint8Array | null {
  if (typeof input === 'string') {
    // Every UTF-16 unit becomes at least one byte, so a long string is refused before encoding it.
    if (input.length > MAX_MESSAGE_BYTES) return null;
    const bytes = encoder.encode(input);
    return bytes.length > MAX_MESSAGE_BYTES ? null : bytes;
  }
  return input.length > MAX_MESSAGE_BYTES ? null : input;
}

export function decodeText(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), valid: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), valid: false };
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Where the header block ends and the body starts (after CRLFCRLF, LFLF or a mix of the two). */
function findHeaderEnd(bytes: Uint8Array, from: number): { end: number; bodyStart: number } | null {
  for (let i = bytes.indexOf(LF, from); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === LF) return { end: i + 1, bodyStart: i + 2 };
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return { end: i + 1, bodyStart: i + 3 };
  }
  return null;
}

const HEADER_LINE = /^([^:\s]+)[ \t]*:(.*)$/s;

export function scanMessage(input: string | Uint8Array): ScanOutcome {
  const bytes = toBytes(input);
  if (bytes === null) return { ok: false, reason: `larger than ${MAX_MESSAGE_BYTES} bytes` };
  // RFC 3261 section 7.5: CRLFs before the start line are ignored (they are keep-alives).
  let start = 0;
  while (start < bytes.length && (bytes[start] === CR || bytes[start] === LF)) start++;
  if (start === bytes.length) return { ok: false, reason: 'empty' };
  const first = bytes[start] ?? 0;
  // Cheap refusal of binary noise: a start line or a header name begins with a visible ASCII byte.
  if (first < 0x21 || first > 0x7e) return { ok: false, reason: 'does not start with text' };

  const found = findHeaderEnd(bytes, start);
  const blockEnd = found ? found.end : bytes.length;
  const decoded = decodeText(bytes.subarray(start, blockEnd));
  const rawLines = decoded.text.split('\n');
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  let bareLfLines = 0;
  const lines = rawLines.map((line, index) => {
    if (line.endsWith('\r')) return line.slice(0, -1);
    if (index < rawLines.length - 1 || found) bareLfLines++;
    return line;
  });

  const fields: ScannedField[] = [];
  const badLines: string[] = [];
  let current: ScannedField | null = null;
  for (const line of lines.slice(1)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // A continuation line (RFC 3261 section 7.3.1): its whitespace counts as one space.
      const more = trimWs(line);
      if (current === null) badLines.push(line);
      else if (more.length > 0) current.value = current.value.length > 0 ? `${current.value} ${more}` : more;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) {
      badLines.push(line);
      current = null;
      continue;
    }
    current = { rawName: match[1] ?? '', value: trimWs(match[2] ?? '') };
    fields.push(current);
  }
  return {
    ok: true,
    scan: {
      firstLine: lines[0] ?? '',
      fields,
      badLines,
      body: found ? bytes.subarray(found.bodyStart) : new Uint8Array(0),
      terminated: found !== null,
      bareLfLines,
      invalidUtf8: !decoded.valid,
    },
  };
}
