/**
 * Header names: compact forms (RFC 3261 section 7.3.3 and the extensions that registered one),
 * the canonical spelling of well-known names, and which headers are comma-separated lists.
 */

const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact', // RFC 3841
  b: 'Referred-By', // RFC 3892
  c: 'Content-Type',
  d: 'Request-Disposition', // RFC 3841
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact', // RFC 3841
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info', // RFC 4474
  o: 'Event', // RFC 6665
  r: 'Refer-To', // RFC 3515
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events', // RFC 6665
  v: 'Via',
  x: 'Session-Expires', // RFC 4028
  y: 'Identity', // RFC 4474
};

const KNOWN = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'Identity',
  'Identity-Info',
  'In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Organization',
  'P-Asserted-Identity',
  'Path',
  'Priority',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'Reason',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'RAck',
  'Server',
  'Service-Route',
  'Session-Expires',
  'Subject',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];

const CANONICAL: ReadonlyMap<string, string> = new Map(KNOWN.map((name) => [name.toLowerCase(), name]));

/**
 * Headers whose grammar is `1#element`, so a comma always separates elements (outside quotes and
 * angle brackets). Headers such as Warning or Authorization are left whole: their values carry
 * commas inside quoted strings or auth parameters, and splitting them would change their meaning.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'Via',
  'Contact',
  'Route',
  'Record-Route',
  'Allow',
  'Allow-Events',
  'Supported',
  'Require',
  'Proxy-Require',
  'Unsupported',
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Content-Encoding',
]);

/** The full name for a header as written: compact forms expanded, known names in their usual case. */
export function canonicalHeaderName(raw: string): string {
  const lower = raw.toLowerCase();
  return COMPACT[lower] ?? CANONICAL.get(lower) ?? raw;
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name));
}

/** `token` of RFC 3261 section 25.1: header names, methods, parameter names. */
export const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}
