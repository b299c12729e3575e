import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './auth';
import { sendError, sendJson } from './responses';

// How a browser page gets the token without a cookie carrying it. Browsers send a 127.0.0.1 cookie
// to every port of that address, so any other local web app the operator opens would receive a
// cookie credential. Instead:
//   1. the printed URL `/?token=T` is answered with a redirect that drops the token from the
//      address bar and sets a *ticket* cookie: random, single use, 30 s, and scoped to
//      `Path=/api/session`, so it goes nowhere but that path;
//   2. the page POSTs /api/session (Origin checked like every call): the host spends the ticket
//      and answers the token in the body; the page keeps it in sessionStorage, which the browser
//      confines to this exact origin (scheme, host and port) and this tab;
//   3. every call then carries `Authorization: Bearer`, the event socket a token subprotocol.
// Another port that receives the ticket cookie gets a value that is spent within milliseconds
// and worthless after 30 s; it never receives the token.

export const SESSION_PATH = '/api/session';
/** Long enough for a slow page load on a loaded machine; a ticket is spent on the first call. */
export const TICKET_TTL_MS = 30_000;
/** A page that was opened many times (a test, a reloading wall) never grows the table unbounded. */
const MAX_OUTSTANDING = 32;

export function ticketCookieName(port: number): string {
  return `switchyard_ticket_${port}`;
}

/**
 * The second ticket the printed URL leaves: spent by the page's own request right after the
 * redirect, which then carries the first screen's answers (first-screen.ts). It grants that one
 * read of the fleet, never the token, and has the sign-in ticket's life and single use.
 */
export function pageTicketCookieName(port: number): string {
  return `switchyard_page_${port}`;
}

/** Which cookie a set of tickets travels in: its name for a port, and the only path it is sent to. */
export interface TicketCookie {
  name(port: number): string;
  path: string;
}

export const SESSION_TICKET: TicketCookie = { name: ticketCookieName, path: SESSION_PATH };
// Path=/ because the page is every client-side route; only a page request spends it (server.ts).
export const PAGE_TICKET: TicketCookie = { name: pageTicketCookieName, path: '/' };

export interface PageTickets {
  /** A new ticket and the Set-Cookie header value that carries it. */
  issue(port: number): { ticket: string; cookie: string };
  /** True once for a live ticket; spends it either way. */
  redeem(ticket: string | undefined): boolean;
}

export function createPageTickets(now: () => number = Date.now, kind: TicketCookie = SESSION_TICKET): PageTickets {
  const live = new Map<string, number>();
  return {
    issue(port) {
      const ticket = randomBytes(32).toString('hex');
      for (const [old, expires] of live) if (expires <= now()) live.delete(old);
      while (live.size >= MAX_OUTSTANDING) live.delete(live.keys().next().value as string);
      live.set(ticket, now() + TICKET_TTL_MS);
      const cookie = `${kind.name(port)}=${ticket}; HttpOnly; SameSite=Strict; Path=${kind.path}; Max-Age=${TICKET_TTL_MS / 1000}`;
      return { ticket, cookie };
    },
    redeem(ticket) {
      if (ticket === undefined) return false;
      // Compared in constant time against each live ticket: the table holds at most 32.
      for (const [candidate, expires] of live) {
        if (!tokenMatches(ticket, candidate)) continue;
        live.delete(candidate);
        return expires > now();
      }
      return false;
    },
  };
}

export function cookieValues(headers: IncomingHttpHeaders, name: string): string[] {
  const found: string[] = [];
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) found.push(part.slice(eq + 1).trim());
  }
  return found;
}

/** Spends a ticket of this kind the request carries, if any is live. */
export function spendTicket(headers: IncomingHttpHeaders, tickets: PageTickets, kind: TicketCookie, port: number): boolean {
  return cookieValues(headers, kind.name(port)).some((ticket) => tickets.redeem(ticket));
}

/** Set-Cookie that drops a ticket cookie: spent or stale, it is of no further use. */
export function clearTicketCookie(kind: TicketCookie, port: number): string {
  return `${kind.name(port)}=; HttpOnly; SameSite=Strict; Path=${kind.path}; Max-Age=0`;
}

export const NO_TICKET_MESSAGE =
  'This page has no sign-in ticket (it is single use and lasts 30 s): open the URL printed by `switchyard serve` again.';

/** `POST /api/session`: the ticket cookie for the token, once. Host and Origin were checked by the caller. */
export function handleSession(req: IncomingMessage, res: ServerResponse, tickets: PageTickets, token: string, port: number): void {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 405, { code: 'invalid-input', message: `${SESSION_PATH} takes POST only.` });
  }
  // Drain whatever body came: the answer does not depend on it.
  req.resume();
  const spent = spendTicket(req.headers, tickets, SESSION_TICKET, port);
  // The cookie is cleared whatever the outcome: a spent or stale ticket is of no further use.
  res.setHeader('Set-Cookie', clearTicketCookie(SESSION_TICKET, port));
  if (!spent) return sendError(res, 401, { code: 'unauthorized', message: NO_TICKET_MESSAGE });
  sendJson(res, 200, { ok: true, data: { token } });
}
