import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Who may talk to the web host: a request must name this host (not a rebound DNS name), come
// from our own page when a browser says where it comes from, and carry the token printed by
// `switchyard serve` as a Bearer header (see page-session.ts for how a browser page gets it).

/** 32 random bytes as hex: too many to guess, and safe in a URL, a header and a cookie. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

/** A chosen token must be long enough to resist guessing and need no escaping anywhere. */
export function assertTokenShape(token: string): void {
  if (!TOKEN_SHAPE.test(token)) {
    throw new Error('The web host token must be 16–256 characters of A–Z, a–z, 0–9, "_" or "-".');
  }
}

/**
 * Constant-time comparison. `timingSafeEqual` needs equal lengths; the token's length is no
 * secret (64 hex characters unless chosen), so a candidate of another length is simply refused.
 */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const given = Buffer.from(candidate, 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/**
 * A browser cannot set headers on a WebSocket, so the page offers the token as a second
 * subprotocol (`switchyard.token.TOKEN`) beside `switchyard.events`, the one the host accepts
 * (the way Kubernetes carries a bearer token to its API from a browser).
 */
export const EVENTS_PROTOCOL = 'switchyard.events';
const TOKEN_PROTOCOL_PREFIX = 'switchyard.token.';

export function protocolToken(headers: IncomingHttpHeaders): string | undefined {
  for (const offered of String(headers['sec-websocket-protocol'] ?? '').split(',')) {
    const name = offered.trim();
    if (name.startsWith(TOKEN_PROTOCOL_PREFIX)) return name.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/**
 * The token travels only where the browser confines it to this host and port: the Authorization
 * header (or a WebSocket subprotocol) set by our page from its per-origin sessionStorage. A
 * cookie is never a credential here: browsers send a 127.0.0.1 cookie to every port of it.
 */
export function hasValidCredential(headers: IncomingHttpHeaders, token: string): boolean {
  return tokenMatches(bearerToken(headers), token) || tokenMatches(protocolToken(headers), token);
}

/**
 * DNS rebinding defence: a page on evil.example whose name now resolves to 127.0.0.1 still sends
 * `Host: evil.example:PORT`, so only our own two spellings of the address are served.
 */
export function hostAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const host = (headers.host ?? '').toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-site requests and WebSocket handshakes: only our page may. */
export function originAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export type Gate = 'pass' | 'forbidden' | 'unauthorized';

/** Host and Origin first, so a rebinding page learns nothing, not even whether a token is needed. */
export function gate(headers: IncomingHttpHeaders, token: string, port: number): Gate {
  if (!hostAllowed(headers, port) || !originAllowed(headers, port)) return 'forbidden';
  return hasValidCredential(headers, token) ? 'pass' : 'unauthorized';
}
