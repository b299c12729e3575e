import { canonicalHeaderName, isListHeader } from './compact-forms';
import { parseParams, splitList } from './lexical';
import { decodeText, scanMessage, type Scan } from './scan';
import { parseStartLine, type StartLine } from './start-line';
import { errorMessage } from '../error-message';

export interface SipHeader {
  /** Full name: compact forms expanded (`v` is `Via`), well-known names in their usual case. */
  name: string;
  value: string;
  /** The name as written, when it differs from `name`. */
  rawName?: string;
}

export interface SipMessage {
  kind: 'request' | 'response';
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  version: string;
  /** In message order; list headers (Via, Contact, Allow, …) give one entry per element. */
  headers: SipHeader[];
  /** The body, as many bytes as Content-Length says when it says so, decoded as UTF-8. */
  body: string;
}

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; reason: string };

export function headerEntries(scan: Scan): SipHeader[] {
  const headers: SipHeader[] = [];
  for (const field of scan.fields) {
    const name = canonicalHeaderName(field.rawName);
    const values = isListHeader(name) && !(name === 'Contact' && field.value === '*') ? splitList(field.value) : [field.value];
    for (const value of values) {
      headers.push(field.rawName === name ? { name, value } : { name, value, rawName: field.rawName });
    }
  }
  return headers;
}

/** Body bytes as Content-Length delimits them; all remaining bytes when it is absent or unusable. */
export function bodyBytes(scan: Scan): Uint8Array {
  const field = scan.fields.find((f) => canonicalHeaderName(f.rawName) === 'Content-Length');
  if (field && /^\d{1,9}$/.test(field.value)) {
    const length = Number(field.value);
    if (length <= scan.body.length) return scan.body.subarray(0, length);
  }
  return scan.body;
}

export function buildMessage(scan: Scan, start: StartLine): SipMessage {
  const common = { version: start.version, headers: headerEntries(scan), body: decodeText(bodyBytes(scan)).text };
  return start.kind === 'request'
    ? { kind: 'request', method: start.method, uri: start.uri, ...common }
    : { kind: 'response', status: start.status, reason: start.reason, ...common };
}

/**
 * The forgiving parser run on every datagram a probe receives. Accepts odd whitespace, compact
 * and folded headers, any case, CRLF or bare LF; refuses oversized input and anything that does
 * not begin with a SIP start line. Never throws.
 */
export function parseSipMessage(input: string | Uint8Array): ParseResult {
  try {
    const scanned = scanMessage(input);
    if (!scanned.ok) return scanned;
    const start = parseStartLine(scanned.scan.firstLine);
    if (start === null) return { ok: false, reason: 'no SIP request or status line' };
    if (start.kind === 'response' && (start.status < 100 || start.status > 699)) {
      return { ok: false, reason: `status code ${start.status} out of range` };
    }
    return { ok: true, message: buildMessage(scanned.scan, start) };
  } catch (cause) {
    // Nothing above is expected to throw; this keeps the promise to callers if something does.
    return { ok: false, reason: `unreadable: ${errorMessage(cause)}` };
  }
}

/** Every value of a header, by any spelling of its name (`v`, `VIA` and `Via` are the same). */
export function headerValues(message: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name);
  return message.headers.filter((h) => h.name === wanted).map((h) => h.value);
}

export function headerValue(message: SipMessage, name: string): string | null {
  return headerValues(message, name)[0] ?? null;
}

/** What a probe needs to pair an answer with its request. */
export interface SipMatchKey {
  /** `branch` parameter of the topmost Via. */
  branch: string | null;
  callId: string | null;
  cseq: number | null;
  cseqMethod: string | null;
  /** Responses only. */
  status: number | null;
  reason: string | null;
}

export function matchKey(message: SipMessage): SipMatchKey {
  const topVia = headerValue(message, 'Via');
  const branch = topVia === null ? null : (parseParams(topVia).find((p) => p.name === 'branch')?.value ?? null);
  const cseq = /^(\d{1,10})[ \t]+(\S+)$/.exec(headerValue(message, 'CSeq') ?? '');
  return {
    branch: branch === '' ? null : branch,
    callId: headerValue(message, 'Call-ID'),
    cseq: cseq ? Number(cseq[1]) : null,
    cseqMethod: cseq?.[2] ?? null,
    status: message.kind === 'response' ? (message.status ?? null) : null,
    reason: message.kind === 'response' ? (message.reason ?? null) : null,
  };
}

/** The identifiers a probe remembers for a request it sent. */
export interface ProbeIds {
  branch: string;
  callId: string;
  method: string;
}

/** RFC 3261 section 17.1.3: a response matches by top Via branch and CSeq method; Call-ID guards. */
export function answersProbe(message: SipMessage, ids: ProbeIds): boolean {
  if (message.kind !== 'response') return false;
  const key = matchKey(message);
  return key.branch === ids.branch && key.callId === ids.callId && key.cseqMethod === ids.method;
}
