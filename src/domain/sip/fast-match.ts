// The probe's quick look at an answer: status, top Via branch, Call-ID and CSeq read straight from
// the datagram without building the whole message. It only decides plain messages (CRLF lines,
// ASCII header block, no folding, no commas or quotes in the top Via); for anything else it
// returns null and the caller runs the full parser, so compact forms, folded lines and odd case
// still work. When it does decide, it gives what `matchKey(parseSipMessage(m))` gives.
import { trimWs } from './lexical';
import { MAX_MESSAGE_BYTES } from './scan';

export interface FastMatchKey {
  status: number;
  branch: string | null;
  callId: string | null;
  cseq: number | null;
  cseqMethod: string | null;
}

const CSEQ = /^(\d{1,10})[ \t]+(\S+)$/;

/**
 * `text` is the datagram read one byte per character (Latin-1), so its offsets are byte offsets.
 * Null when the text is not a response this reader can vouch for.
 */
export function fastMatchKey(text: string): FastMatchKey | null {
  if (text.length > MAX_MESSAGE_BYTES || !text.startsWith('SIP/2.0 ')) return null;
  const status = statusOf(text);
  if (status === null) return null;
  // The header block as the full parser finds it, read in one pass that also refuses what only
  // that parser handles: bytes outside ASCII (where Latin-1 and its UTF-8 differ), a bare LF (it
  // may end the block early), folding.
  const blockEnd = text.indexOf('\r\n\r\n') + 2;
  if (blockEnd < 2) return null;
  let via: string | null = null;
  let callId: string | null = null;
  let cseq: string | null = null;
  let lineStart = -1;
  for (let i = 0; i < blockEnd; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return null;
    if (code !== 0x0a) continue;
    if (text.charCodeAt(i - 1) !== 0x0d) return null;
    const next = text.charCodeAt(i + 1);
    if (next === 0x20 || next === 0x09) return null;
    // Only names starting with v, i or c can be Via, Call-ID or CSeq; the rest are skipped unread.
    const first = lineStart < 0 ? 0 : text.charCodeAt(lineStart) | 0x20;
    if (first === 0x76 || first === 0x69 || first === 0x63) {
      const line = text.slice(lineStart, i - 1);
      const colon = line.indexOf(':');
      const name = colon < 1 ? null : headerName(line, colon);
      if (name !== null) {
        const value = trimWs(line.slice(colon + 1));
        if (name === 'via' || name === 'v') via ??= value;
        else if (name === 'call-id' || name === 'i') callId ??= value;
        else if (name === 'cseq') cseq ??= value;
      }
    }
    lineStart = i + 1;
  }
  const branch = via === null ? null : branchOf(via);
  if (branch === undefined) return null;
  const cseqMatch = CSEQ.exec(cseq ?? '');
  return {
    status,
    branch,
    callId,
    cseq: cseqMatch ? Number(cseqMatch[1]) : null,
    cseqMethod: cseqMatch?.[2] ?? null,
  };
}

/** Three digits from 100 to 699 after `SIP/2.0 `, then a space or the end of the line. */
function statusOf(text: string): number | null {
  let status = 0;
  for (let i = 8; i < 11; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return null;
    status = status * 10 + digit;
  }
  const after = text.charCodeAt(11);
  if (after !== 0x20 && !(after === 0x0d && text.charCodeAt(12) === 0x0a)) return null;
  return status >= 100 && status <= 699 ? status : null;
}

/**
 * The lower-cased name before the colon (blanks before the colon allowed); null when it is empty,
 * holds whitespace, or is longer than any name read here (`call-id`).
 */
function headerName(line: string, colon: number): string | null {
  let end = colon;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  if (end === 0 || end > 7) return null;
  const name = line.slice(0, end);
  return /[\s]/.test(name) ? null : name.toLowerCase();
}

/** The branch parameter of a single, unquoted Via value; undefined when only the full parser can tell. */
function branchOf(via: string): string | null | undefined {
  if (via.length === 0 || via.includes(',') || via.includes('"') || via.includes('<')) return undefined;
  const parts = via.split(';');
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    const name = trimWs(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (name !== 'branch') continue;
    if (eq < 0) return null;
    const value = trimWs(part.slice(eq + 1));
    return value === '' ? null : value;
  }
  return null;
}
