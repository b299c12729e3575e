import { error, quote, type SipProblem } from './problems';

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;

export function isAbsoluteUri(text: string): boolean {
  return ABSOLUTE_URI.test(text);
}

/** `host [":" port]` of RFC 3261: a host name, an IPv4 address or a bracketed IPv6 reference. */
export function isHostPort(text: string): boolean {
  let host = text;
  let port: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (close < 0 || (rest !== '' && !rest.startsWith(':'))) return false;
    if (rest !== '') port = rest.slice(1);
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      port = text.slice(colon + 1);
    }
  }
  if (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) return false;
  return IPV6_REFERENCE.test(host) || (host.length <= 255 && HOSTNAME.test(host));
}

/**
 * Checks a Request-URI. Any absolute URI is allowed (RFC 4475 3.3.2 and 3.3.3 are valid
 * syntax); sip and sips URIs are looked at more closely because a probe and its answers use them.
 */
export function checkRequestUri(uri: string): SipProblem[] {
  if (!isAbsoluteUri(uri)) {
    return [error('bad-request-uri', `The Request-URI ${quote(uri)} is not an absolute URI (such as sip:host).`)];
  }
  const colon = uri.indexOf(':');
  const scheme = uri.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return [];
  const rest = uri.slice(colon + 1);
  // The user part may hold ';', '?' and '/' but never a raw '@', while parameters and headers
  // after the host cannot hold '@' either: so the last '@' ends the user part.
  const at = rest.lastIndexOf('@');
  if (at === 0) return [error('bad-request-uri', `The Request-URI ${quote(uri)} has an empty user part.`)];
  const hostPart = rest.slice(at + 1);
  const problems: SipProblem[] = [];
  const cut = hostPart.search(/[;?]/);
  const hostPort = cut < 0 ? hostPart : hostPart.slice(0, cut);
  if (!isHostPort(hostPort)) {
    problems.push(error('bad-request-uri', `The Request-URI ${quote(uri)} has no valid host (and port).`));
  }
  if (hostPart.includes('?')) {
    problems.push(
      error(
        'request-uri-headers',
        `The Request-URI ${quote(uri)} carries URI headers (after "?"), which RFC 3261 does not allow in a Request-URI.`,
      ),
    );
  }
  return problems;
}
