import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { TeamConfig } from './team-config';

// What a team host believes about a request before it looks at any credential: the name it was
// sent to (Host, or X-Forwarded-Host behind a trusted proxy), the scheme the browser used, the
// client's address, and whether a browser sent it from one of our own pages. Without
// --trust-proxy the X-Forwarded-* headers are ignored entirely: any client could write them.

export interface RequestView {
  /** Lower-case host name or address the request was sent to (no port, no IPv6 brackets). */
  host: string;
  proto: 'https' | 'http';
  address: string;
}

export function viewOf(req: IncomingMessage, config: Pick<TeamConfig, 'trustProxy' | 'tls'>): RequestView {
  const direct = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  const ownProto = config.tls === null ? 'http' : 'https';
  if (!config.trustProxy) return { host: hostPart(single(req.headers.host)), proto: ownProto, address: direct };
  const forwardedHost = lastOf(single(req.headers['x-forwarded-host']));
  const forwardedProto = lastOf(single(req.headers['x-forwarded-proto'])).toLowerCase();
  // The proxy appends the address it saw to the right; anything left of it came from the client.
  const forwardedFor = lastOf(single(req.headers['x-forwarded-for'])).replace(/^::ffff:/, '');
  return {
    host: hostPart(forwardedHost === '' ? single(req.headers.host) : forwardedHost),
    proto: forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : ownProto,
    address: isIP(forwardedFor) === 0 ? direct : forwardedFor,
  };
}

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[value.length - 1] ?? '') : (value ?? '');
}

function lastOf(list: string): string {
  const parts = list.split(',');
  return (parts[parts.length - 1] ?? '').trim();
}

/** `Name:443` → `name`; `[::1]:8443` → `::1`; anything malformed → '' (which no configured name equals). */
export function hostPart(value: string): string {
  const text = value.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return bracketed[1] ?? '';
  const plain = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(text);
  return plain?.[1] ?? '';
}

/**
 * DNS rebinding defence, as on the loopback host: a page on evil.example whose name now resolves
 * to us still says `Host: evil.example`. The port is not compared: a proxy may publish another.
 */
export function hostAllowed(view: RequestView, names: readonly string[]): boolean {
  return view.host !== '' && names.includes(view.host);
}

/**
 * Browsers send Origin on every POST and WebSocket handshake, and `Sec-Fetch-Site` on every
 * request: another site's page is refused whatever it carries. A client that is not a browser
 * (curl, the desktop app) sends neither and is judged by its credential alone.
 */
export function originAllowed(req: IncomingMessage, view: RequestView, names: readonly string[]): boolean {
  const site = single(req.headers['sec-fetch-site']);
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const match = /^(https?):\/\/(.+)$/.exec(origin.toLowerCase());
  if (match === null) return false;
  return match[1] === view.proto && hostAllowed({ ...view, host: hostPart(match[2] ?? '') }, names);
}
