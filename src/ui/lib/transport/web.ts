import type { Transport } from '../../../contract/client';
import type { ErrorCode, Result } from '../../../contract/result';
import { isResult } from './envelope';
import { callBody, takeFirstCall, takeWrittenAnswer } from './first-calls';
import { createConnectionState, type ConnectionState, type WritableConnectionState } from './connection-state';
import { authHeaders, eventProtocols, pageTokenSource, sharedPageToken, type TokenSource } from './page-token';
import { SAMPLES_WIRE, unpackSamplesPush } from '../../../contract/samples-wire';
import { createShownPing } from './shown-ping';

// The contract over the loopback web host: calls as `POST /api/call`, pushed events over one
// WebSocket at `/api/events`. The page's token (page-token.ts) authenticates both: a Bearer
// header on calls, a subprotocol on the socket. A call never rejects: a lost host becomes an
// `internal` envelope the UI shows like any other error.

export { createConnectionState, type ConnectionState, type ConnectionStatus } from './connection-state';

/** Set by a team host on a call refused for want of a live session (src/host/web/team-server.ts). */
const SIGN_IN_HEADER = 'x-switchyard-sign-in';

const pageState = createConnectionState();

/** The one connection state of this page, for a "disconnected" badge. */
export const connectionState: ConnectionState = pageState;

/** The Electron bridge is in-process IPC, never disconnected: the page's state says so. */
export function markAlwaysConnected(): void {
  pageState.set('open');
}

/** What the transport needs of a WebSocket; the browser's and the `ws` package's both fit. */
export interface EventSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  close(code?: number, reason?: string): void;
  /** For the page's "still shown" (shown-ping.ts); a socket without it says nothing. */
  send?(data: string): void;
}

export interface WebTransportOptions {
  /** `http://HOST:PORT` of the web host; absent: the page's own origin. */
  baseUrl?: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  openSocket?: (url: string, protocols: string[]) => EventSocket;
  /** Where the token comes from; absent: the page's own (spent ticket, then sessionStorage). */
  token?: TokenSource;
  state?: WritableConnectionState;
  /** Reconnection delay: doubled after each failure, reset once connected. */
  backoff?: { firstMs: number; maxMs: number };
}

export interface WebTransport extends Transport {
  /** Stops reconnecting and closes the socket (a page never needs this; tests do). */
  close(): void;
}

/** Browser globals, read off globalThis so this module also loads (and type-checks) in Node. */
interface BrowserGlobals {
  location?: { protocol: string; host: string; reload?: () => void };
  WebSocket?: new (url: string, protocols?: string[]) => EventSocket;
}
const browser: BrowserGlobals = globalThis;

export function createWebTransport(options: WebTransportOptions = {}): WebTransport {
  const base = options.baseUrl ?? '';
  const fetchCall = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const openSocket = options.openSocket ?? openBrowserSocket;
  const state = options.state ?? pageState;
  const tokenSource = options.token ?? (base === '' ? sharedPageToken() : pageTokenSource(base, fetchCall));
  const { firstMs, maxMs } = options.backoff ?? { firstMs: 1000, maxMs: 15_000 };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  let socket: EventSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delay = firstMs;
  let stopped = false;
  const shown = createShownPing();

  function connect(): void {
    retry = null;
    if (stopped) return;
    state.set('connecting');
    // A placeholder keeps a second subscriber from opening another socket meanwhile.
    const opening: EventSocket = { addEventListener: () => undefined, close: () => undefined };
    socket = opening;
    void tokenSource().then((token) => {
      if (stopped || socket !== opening) return;
      socket = null;
      open(token);
    });
  }

  function open(token: string | null): void {
    let current: EventSocket;
    try {
      current = openSocket(eventsUrl(base), eventProtocols(token));
    } catch {
      return scheduleRetry();
    }
    socket = current;
    current.addEventListener('open', () => {
      delay = firstMs;
      state.set('open');
      if (current.send !== undefined) shown.attach({ send: (data) => current.send?.(data) });
    });
    current.addEventListener('message', (event) => deliver(event.data));
    // Every failure ends in 'close' (an 'error' is always followed by one), so retry only there;
    // the error is still listened to, as an unheard one is thrown by some socket implementations.
    current.addEventListener('error', () => undefined);
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = null;
      shown.detach();
      state.set('closed');
      scheduleRetry();
    });
  }

  function scheduleRetry(): void {
    if (stopped || retry !== null) return;
    retry = setTimeout(connect, delay);
    delay = Math.min(delay * 2, maxMs);
  }

  function deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('event' in message) || typeof message.event !== 'string') return;
    let payload = 'payload' in message ? message.payload : undefined;
    if ('wire' in message) {
      // Only the samples push travels packed (samples-wire.ts); an unknown packing is not guessed at.
      const unpacked = message.wire === SAMPLES_WIRE ? unpackSamplesPush(payload) : { ok: false as const, reason: 'unknown packing' };
      if (!unpacked.ok) {
        console.error(`[switchyard] dropped a ${message.event} push: ${unpacked.reason}`);
        return;
      }
      payload = unpacked.push;
    }
    for (const listener of [...(listeners.get(message.event) ?? [])]) {
      // One failing view must not stop the others from hearing the event.
      try {
        listener(payload);
      } catch (error) {
        console.error(`[switchyard] a listener for ${message.event} failed`, error);
      }
    }
  }

  return {
    async invoke(method, input) {
      let body: string;
      try {
        body = callBody(method, input);
      } catch (error) {
        return failure('invalid-input', `Switchyard could not send ${method}: its input cannot be written as JSON (${messageOf(error)}).`);
      }
      const ownPage = base === '' && options.fetch === undefined;
      // The host may have written this very call's answer into the page (first-calls.ts): used
      // once, and without waiting for the token, which is what lets the first screen draw at once.
      const written = ownPage ? takeWrittenAnswer(body) : undefined;
      if (written !== undefined) {
        return isResult(written) ? written : lostContact(method, 'the page held something that is not a Switchyard reply');
      }
      const token = await tokenSource();
      let response: Response;
      try {
        // The console's start may have sent this very call already (first-calls.ts): its reply is used once.
        const early = ownPage ? takeFirstCall(body) : undefined;
        response = await (early ??
          fetchCall(`${base}/api/call`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', ...authHeaders(token) },
            body,
          }));
      } catch {
        return lostContact(method, 'the host did not answer');
      }
      // A team host's session ended (idle, signed out elsewhere, account changed): reloading shows its sign-in page with the reason.
      if (response.status === 401 && base === '' && response.headers.get(SIGN_IN_HEADER) !== null) browser.location?.reload?.();
      let reply: unknown;
      try {
        reply = await response.json();
      } catch {
        return lostContact(method, `the host answered HTTP ${response.status} without a Switchyard reply`);
      }
      return isResult(reply)
        ? reply
        : lostContact(method, `the host answered HTTP ${response.status} with something that is not a Switchyard reply`);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(listener);
      // The socket opens with the first subscriber: a page that only calls needs none.
      if (socket === null && retry === null) connect();
      return () => {
        set.delete(listener);
      };
    },
    close() {
      stopped = true;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      const current = socket;
      socket = null;
      shown.detach();
      current?.close(1000, 'The page is done with this host.');
      state.set('closed');
    },
  };
}

function eventsUrl(base: string): string {
  if (base !== '') return `${base.replace(/^http/, 'ws')}/api/events`;
  const location = browser.location;
  if (location === undefined) throw new Error('No page location to derive the events socket from.');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/events`;
}

function openBrowserSocket(url: string, protocols: string[]): EventSocket {
  if (browser.WebSocket === undefined) throw new Error('This runtime has no WebSocket.');
  return new browser.WebSocket(url, protocols);
}

function lostContact(method: string, what: string): Result<never> {
  return failure(
    'internal',
    `Lost contact with the Switchyard host while calling ${method} (${what}). ` +
      'Check that `switchyard serve` is still running, then reload this page.',
  );
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
