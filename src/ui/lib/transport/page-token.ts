// The page's copy of the host token. The host never sets it as a cookie (browsers send a
// 127.0.0.1 cookie to every port of that address); the printed URL leaves a single-use ticket
// cookie instead, which this page spends at `POST /api/session` for the token. The token is kept
// in sessionStorage, which the browser confines to this origin (host *and* port) and this tab,
// so a reload keeps working and no other local port ever receives it.

const STORAGE_KEY = 'switchyard.token';
/** A WebSocket cannot carry headers from a browser: the token rides as a second subprotocol. */
export const EVENTS_PROTOCOL = 'switchyard.events';
export const TOKEN_PROTOCOL_PREFIX = 'switchyard.token.';

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Browser globals, read off globalThis so this module also loads (and type-checks) in Node. */
const browser = globalThis as { sessionStorage?: StorageLike };

export type TokenSource = () => Promise<string | null>;

/**
 * Spends a ticket if the page was just opened from the printed URL (a newer token wins over a
 * stored one: the host may have restarted), else uses the stored token. Asked once per page.
 */
export function pageTokenSource(base: string, fetchCall: (url: string, init: RequestInit) => Promise<Response>): TokenSource {
  let pending: Promise<string | null> | null = null;
  return () => (pending ??= fetchToken(base, fetchCall));
}

async function fetchToken(base: string, fetchCall: (url: string, init: RequestInit) => Promise<Response>): Promise<string | null> {
  const storage = browser.sessionStorage;
  if (storage === undefined) return null;
  try {
    const reply = await fetchCall(`${base}/api/session`, { method: 'POST', credentials: 'same-origin' });
    if (reply.ok) {
      const body: unknown = await reply.json();
      const token = tokenOf(body);
      if (token !== null) {
        storage.setItem(STORAGE_KEY, token);
        return token;
      }
    }
  } catch {
    // No host, or no ticket: fall back to the stored token; the calls report what is wrong.
  }
  return storage.getItem(STORAGE_KEY);
}

function tokenOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('data' in body)) return null;
  const data = body.data;
  if (typeof data !== 'object' || data === null || !('token' in data) || typeof data.token !== 'string') return null;
  return /^[A-Za-z0-9_-]{16,256}$/.test(data.token) ? data.token : null;
}

/** The Authorization header for a token, or none. */
export function authHeaders(token: string | null): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

/** The subprotocols a page offers when opening the event socket. */
export function eventProtocols(token: string | null): string[] {
  return token === null ? [EVENTS_PROTOCOL] : [EVENTS_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

let shared: TokenSource | null = null;

/** The one token source of this page (the transport and the snapshot upload share it). */
export function sharedPageToken(): TokenSource {
  shared ??= pageTokenSource('', (url, init) => fetch(url, init));
  return shared;
}
