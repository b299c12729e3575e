// How the SIP engine reads an answer datagram (sip-udp.ts): straight from its bytes when they are
// plain (ASCII headers, CRLF line ends, no folding), else as text through the fast matcher and the
// full parser, as it always was. Either way an answer counts only when it carries our own branch,
// Call-ID and CSeq, and the result is one number, `status * SEQ_SPAN + seq`, or UNDECIDED: no
// string and no object per answer on the common path.
import { isAscii } from 'node:buffer';
import { fastMatchKey, type FastMatchKey } from '../../domain/sip/fast-match';
import { matchKey, parseSipMessage } from '../../domain/sip/message';
import { MAX_MESSAGE_BYTES } from '../../domain/sip/scan';

// The engine's counter stays within [2^30, 2^31): always 10 decimal digits (the CSeq) and 8 hex
// digits (in the branch and the Call-ID); see sip-udp.ts.
export const FIRST_SEQ = 2 ** 30;
export const LAST_SEQ = 2 ** 31 - 1;
export const HEX_DIGITS = 8;
/** Answers are read as `status * SEQ_SPAN + seq` (every seq is below it), or UNDECIDED. */
export const SEQ_SPAN = 2 ** 31;
export const UNDECIDED = -1;

/**
 * The answer's reading by text, as the engine has always read it: the fast matcher, the full
 * parser when that cannot decide, then our identifiers. `status * SEQ_SPAN + seq` when it answers
 * one of our requests (a probe that may or may not still wait), UNDECIDED when it is not ours.
 */
export function ownAnswerInText(data: Buffer, branchHead: string, callIdPrefix: string): number {
  const key = fastMatchKey(data.toString('latin1')) ?? fullMatchKey(data);
  const seqHex =
    key?.branch && key.branch.length === branchHead.length + HEX_DIGITS && key.branch.startsWith(branchHead)
      ? key.branch.slice(-HEX_DIGITS)
      : '';
  const seq = seqHex ? Number.parseInt(seqHex, 16) : Number.NaN;
  if (
    !key ||
    !(seq >= FIRST_SEQ && seq <= LAST_SEQ) ||
    seq.toString(16) !== seqHex ||
    key.callId !== callIdPrefix + seqHex ||
    key.cseqMethod !== 'OPTIONS' ||
    key.cseq !== seq
  ) {
    return UNDECIDED;
  }
  return key.status * SEQ_SPAN + seq;
}

/** The full parser's reading, for what the fast matcher leaves undecided; null when not a response. */
function fullMatchKey(data: Uint8Array): FastMatchKey | null {
  const parsed = parseSipMessage(data);
  if (!parsed.ok || parsed.message.kind !== 'response') return null;
  const key = matchKey(parsed.message);
  return key.status === null
    ? null
    : { status: key.status, branch: key.branch, callId: key.callId, cseq: key.cseq, cseqMethod: key.cseqMethod };
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const STATUS_LINE_HEAD = Buffer.from('SIP/2.0 ', 'latin1');
const NAME_VIA = Buffer.from('via', 'latin1');
const NAME_V = Buffer.from('v', 'latin1');
const NAME_CALL_ID = Buffer.from('call-id', 'latin1');
const NAME_I = Buffer.from('i', 'latin1');
const NAME_CSEQ = Buffer.from('cseq', 'latin1');
const NAME_BRANCH = Buffer.from('branch', 'latin1');
const OPTIONS = Buffer.from('OPTIONS', 'latin1');

/**
 * The answer's reading straight from its bytes, for the plain answers nearly every server sends:
 * `status * SEQ_SPAN + seq` when it is, beyond doubt, the answer ownAnswerInText would read; for
 * anything else UNDECIDED, and the caller asks ownAnswerInText. It vouches only for what the fast
 * matcher reads too (an ASCII header block of CRLF lines, no folding, a top Via with no comma,
 * quote or angle bracket), takes the first Via, Call-ID and CSeq as it does, and then asks for our
 * own identifiers exactly: a stray, a request or an odd answer is left to the text reader.
 */
export function ownAnswerInBytes(data: Buffer, branchHead: Uint8Array, callIdHead: Uint8Array): number {
  const n = data.length;
  if (n < 16 || n > MAX_MESSAGE_BYTES || !equalAt(data, 0, 8, STATUS_LINE_HEAD)) return UNDECIDED;
  let status = 0;
  for (let i = 8; i < 11; i++) {
    const digit = (data[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return UNDECIDED;
    status = status * 10 + digit;
  }
  if (status < 100 || status > 699 || (data[11] !== SP && !(data[11] === CR && data[12] === LF))) return UNDECIDED;
  // Value ranges (blanks trimmed) of the first Via, Call-ID and CSeq; -1 until found.
  let via = -1;
  let viaEnd = -1;
  let callId = -1;
  let callIdEnd = -1;
  let cseq = -1;
  let cseqEnd = -1;
  // Line by line to the blank line, refusing what the fast matcher refuses: a byte outside ASCII
  // (checked over the whole datagram at once), a bare LF, a folded line.
  if (!isAscii(data)) return UNDECIDED;
  let lineStart = -1;
  for (let lf = data.indexOf(LF, 12); ; lf = data.indexOf(LF, lf + 1)) {
    if (lf < 0 || data[lf - 1] !== CR) return UNDECIDED;
    const lineEnd = lf - 1;
    if (lineStart === lineEnd) break;
    if (data[lf + 1] === SP || data[lf + 1] === HT) return UNDECIDED;
    const first = lineStart < 0 ? 0 : (data[lineStart] as number) | 0x20;
    if (first === 0x76 || first === 0x69 || first === 0x63) {
      let colon = lineStart;
      while (colon < lineEnd && data[colon] !== 0x3a) colon++;
      if (colon > lineStart && colon < lineEnd) {
        let nameEnd = colon;
        while (nameEnd > lineStart && isBlank(data[nameEnd - 1] as number)) nameEnd--;
        const valueStart = skipBlanks(data, colon + 1, lineEnd);
        const valueEnd = trimBlanksEnd(data, valueStart, lineEnd);
        if (via < 0 && (nameIs(data, lineStart, nameEnd, NAME_VIA) || nameIs(data, lineStart, nameEnd, NAME_V))) {
          via = valueStart;
          viaEnd = valueEnd;
        } else if (callId < 0 && (nameIs(data, lineStart, nameEnd, NAME_CALL_ID) || nameIs(data, lineStart, nameEnd, NAME_I))) {
          callId = valueStart;
          callIdEnd = valueEnd;
        } else if (cseq < 0 && nameIs(data, lineStart, nameEnd, NAME_CSEQ)) {
          cseq = valueStart;
          cseqEnd = valueEnd;
        }
      }
    }
    lineStart = lf + 1;
  }
  if (via < 0 || callId < 0 || cseq < 0) return UNDECIDED;
  // The top Via's first branch parameter, then the Call-ID: each our head and the same seq in hex.
  const seq = branchSeq(data, via, viaEnd, branchHead);
  if (
    seq === UNDECIDED ||
    callIdEnd - callId !== callIdHead.length + HEX_DIGITS ||
    !equalAt(data, callId, callId + callIdHead.length, callIdHead) ||
    hexAt(data, callIdEnd - HEX_DIGITS) !== seq
  ) {
    return UNDECIDED;
  }
  // The CSeq: the seq in decimal (at most ten digits, as the fast matcher reads), blanks, OPTIONS.
  let number = 0;
  let at = cseq;
  for (; at < cseqEnd && at - cseq <= 10; at++) {
    const digit = (data[at] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    number = number * 10 + digit;
  }
  if (at === cseq || at - cseq > 10 || at >= cseqEnd || number !== seq || !isBlank(data[at] as number)) return UNDECIDED;
  const method = skipBlanks(data, at, cseqEnd);
  if (cseqEnd - method !== OPTIONS.length || !equalAt(data, method, cseqEnd, OPTIONS)) return UNDECIDED;
  return status * SEQ_SPAN + seq;
}

/** The seq in a Via value's first branch parameter when it is our head and eight hex digits; UNDECIDED otherwise. */
function branchSeq(data: Buffer, start: number, end: number, head: Uint8Array): number {
  // A comma, quote or angle bracket anywhere in the value: only the full parser reads it.
  if (start === end || within(data.indexOf(0x2c, start), end) || within(data.indexOf(0x22, start), end)) return UNDECIDED;
  if (within(data.indexOf(0x3c, start), end)) return UNDECIDED;
  for (let semicolon = data.indexOf(0x3b, start); within(semicolon, end);) {
    const next = data.indexOf(0x3b, semicolon + 1);
    const partEnd = within(next, end) ? next : end;
    // The parameter's name is `branch` when, blanks aside, those six letters come before its first '='.
    let at = skipBlanks(data, semicolon + 1, partEnd);
    if (at + NAME_BRANCH.length <= partEnd && nameIs(data, at, at + NAME_BRANCH.length, NAME_BRANCH)) {
      at = skipBlanks(data, at + NAME_BRANCH.length, partEnd);
      if (at === partEnd) return UNDECIDED;
      if (data[at] === 0x3d) {
        const value = skipBlanks(data, at + 1, partEnd);
        const valueEnd = trimBlanksEnd(data, value, partEnd);
        if (valueEnd - value !== head.length + HEX_DIGITS || !equalAt(data, value, value + head.length, head)) return UNDECIDED;
        return hexAt(data, value + head.length);
      }
    }
    semicolon = partEnd;
  }
  return UNDECIDED;
}

/** Whether an indexOf result falls before `end`. */
function within(index: number, end: number): boolean {
  return index >= 0 && index < end;
}

/** The seq written as eight lower-case hex digits at `at` (as writeHex writes it); UNDECIDED for anything else. */
function hexAt(data: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + HEX_DIGITS; i++) {
    const code = data[i] as number;
    const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1;
    if (digit < 0) return UNDECIDED;
    value = value * 16 + digit;
  }
  return value >= FIRST_SEQ && value <= LAST_SEQ ? value : UNDECIDED;
}

/** Whether data[start, end) is exactly `bytes`. */
function equalAt(data: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (data[start + i] !== bytes[i]) return false;
  return true;
}

/** Whether data[start, end) is the header or parameter name `lower` in any case (ASCII letters fold, nothing else). */
function nameIs(data: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const want = lower[i] as number;
    const code = data[start + i] as number;
    if (code !== want && !(want >= 0x61 && want <= 0x7a && (code | 0x20) === want)) return false;
  }
  return true;
}

function isBlank(code: number): boolean {
  return code === SP || code === HT;
}

function skipBlanks(data: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(data[start] as number)) start++;
  return start;
}

function trimBlanksEnd(data: Uint8Array, start: number, end: number): number {
  while (end > start && isBlank(data[end - 1] as number)) end--;
  return end;
}
