import { ADDRESS_HEADERS, checkAddressField } from './check-address';
import { checkVia } from './check-via';
import { canonicalHeaderName, isToken } from './compact-forms';
import { findControlCharacter, splitOutside, trimWs } from './lexical';
import { error, quote, warning, type SipProblem } from './problems';
import type { Scan, ScannedField } from './scan';
import type { StartLine } from './start-line';

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
const SINGLE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires', 'Date', 'Retry-After'];
/** Past this a header value is suspicious in a trace, though not wrong in itself (RFC 4475 3.1.1.7). */
export const LONG_VALUE = 4096;
const MAX_UINT32 = 4294967295;
/** RFC 3261 section 8.1.1.5: the CSeq number MUST be less than 2^31. */
const MAX_CSEQ = 2147483647;
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(?:@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;
const RFC1123_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const WARNING = /^\d{3} [^\s"]+ "(?:[^"\\]|\\.)*"$/s;

type Named = ScannedField & { name: string };

export function checkFields(scan: Scan, start: StartLine | null): SipProblem[] {
  const problems: SipProblem[] = [];
  for (const line of scan.badLines) {
    problems.push(error('bad-header-line', `The line ${quote(line)} is not a header field ("Name: value").`));
  }
  const fields: Named[] = scan.fields.map((f) => ({ ...f, name: canonicalHeaderName(f.rawName) }));
  for (const field of fields) problems.push(...checkField(field, start));
  const present = new Map<string, number>();
  for (const field of fields) present.set(field.name, (present.get(field.name) ?? 0) + 1);
  const required = start?.kind === 'request' ? [...MANDATORY, 'Max-Forwards'] : MANDATORY;
  for (const name of required) {
    if (!present.has(name)) problems.push(error('missing-header', `The mandatory ${name} header is missing.`));
  }
  for (const name of SINGLE) {
    const count = present.get(name) ?? 0;
    if (count > 1) problems.push(error('duplicate-header', `${name} appears ${count} times; it may appear only once.`));
  }
  return problems;
}

function checkField(field: Named, start: StartLine | null): SipProblem[] {
  const { name, value } = field;
  if (!isToken(field.rawName)) {
    return [error('bad-header-line', `Header name ${quote(field.rawName)} contains characters a header name cannot have.`)];
  }
  const problems: SipProblem[] = [];
  const structured = ADDRESS_HEADERS.has(name) || name === 'Via';
  if (findControlCharacter(value, structured) >= 0) {
    problems.push(error('invalid-character', `${name} contains a control character outside a quoted string.`));
  }
  if (value.length > LONG_VALUE) {
    problems.push(warning('oversized-value', `${name} is ${value.length} characters long.`));
  }
  if (name === 'Via') problems.push(...checkVia(value));
  else if (ADDRESS_HEADERS.has(name)) problems.push(...checkAddressField(name, value));
  else problems.push(...checkScalar(name, value, start));
  return problems;
}

function checkScalar(name: string, value: string, start: StartLine | null): SipProblem[] {
  switch (name) {
    case 'CSeq':
      return checkCSeq(value, start);
    case 'Max-Forwards':
      return /^\d{1,10}$/.test(value) && Number(value) <= 255
        ? []
        : [error('bad-max-forwards', `Max-Forwards ${quote(value)} is not a number from 0 to 255.`)];
    case 'Call-ID':
      return WORD.test(value) ? [] : [error('bad-call-id', `Call-ID ${quote(value)} is not word[@word].`)];
    case 'Content-Length':
      return /^\d+$/.test(value) ? [] : [error('bad-content-length', `Content-Length ${quote(value)} is not a number of bytes.`)];
    case 'Expires':
      return isUint32(value) ? [] : [error('bad-expires', `Expires ${quote(value)} is not a number of seconds up to 2^32-1.`)];
    case 'Retry-After': {
      const seconds = /^(\d+)(?:[ \t]*\([^)]*\))?(?:[ \t]*;.*)?$/s.exec(value)?.[1];
      return seconds !== undefined && isUint32(seconds)
        ? []
        : [error('bad-retry-after', `Retry-After ${quote(value)} is not a number of seconds up to 2^32-1.`)];
    }
    case 'Warning':
      return splitOutside(value, ',').parts.every((w) => WARNING.test(trimWs(w)))
        ? []
        : [error('bad-warning', `Warning ${quote(value)} is not 'code agent "text"' with a three-digit code.`)];
    case 'Date':
      return RFC1123_DATE.test(value)
        ? []
        : [error('bad-date', `Date ${quote(value)} is not an RFC 1123 date in GMT (such as "Sat, 13 Nov 2010 23:29:00 GMT").`)];
    default:
      return [];
  }
}

function checkCSeq(value: string, start: StartLine | null): SipProblem[] {
  const match = /^(\d+)[ \t]+(\S+)$/.exec(value);
  if (!match) return [error('bad-cseq', `CSeq ${quote(value)} is not a sequence number followed by a method.`)];
  const [, digits = '', method = ''] = match;
  const problems: SipProblem[] = [];
  if (digits.length > 10 || Number(digits) > MAX_CSEQ) {
    problems.push(error('bad-cseq', `CSeq number ${quote(digits)} is larger than 2^31-1.`));
  }
  if (!isToken(method)) problems.push(error('bad-cseq', `CSeq method ${quote(method)} is not a method name.`));
  if (start?.kind === 'request' && method !== start.method) {
    problems.push(
      error('cseq-method-mismatch', `CSeq names ${quote(method)} but the request line is ${quote(start.method)}; they must be the same.`),
    );
  }
  return problems;
}

function isUint32(digits: string): boolean {
  return /^\d{1,10}$/.test(digits) && Number(digits) <= MAX_UINT32;
}

/** Compares Content-Length with the bytes that follow the header block. */
export function checkBodyLength(scan: Scan): SipProblem[] {
  const field = scan.fields.find((f) => canonicalHeaderName(f.rawName) === 'Content-Length');
  const available = scan.body.length;
  if (!field) {
    return [warning('missing-content-length', 'There is no Content-Length; it is required over TCP and TLS.')];
  }
  if (!/^\d+$/.test(field.value)) return [];
  const declared = Number(field.value);
  if (declared > available) {
    // Pasted traces often lose the CR of each CRLF; say so when that explains the difference.
    const crlfLength = available + countLf(scan.body);
    const hint = scan.bareLfLines > 0 && crlfLength === declared ? ' (it matches if the body lines end with CRLF)' : '';
    return [error('content-length-mismatch', `Content-Length says ${declared} bytes but the body has ${available}${hint}.`)];
  }
  if (declared < available) {
    return [
      warning(
        'trailing-bytes',
        `${available - declared} bytes follow the ${declared}-byte body that Content-Length announces; a receiver discards them.`,
      ),
    ];
  }
  return [];
}

function countLf(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) count++;
  return count;
}
