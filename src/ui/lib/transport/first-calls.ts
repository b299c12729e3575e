import type { InputOf, MethodName } from '../../../contract/methods';
import { authHeaders, sharedPageToken } from './page-token';

// The calls every screen of the console makes first (the fleet store's and monitoring's start),
// sent by the page's boot script (src/ui/boot.ts) as soon as it runs: it is a few hundred bytes
// and runs while the rest of the scripts still load and start, so the replies travel meanwhile
// instead of after. The transport takes each reply once, for a call with exactly the same body;
// a reply nobody took in KEEP_MS is dropped, and the screen's own call goes out as before.
// test/e2e/first-calls.test.ts holds the list to what the stores really ask.

type Call = { [M in MethodName]: { method: M; input: InputOf<M> } }[MethodName];

export const FIRST_CALLS: readonly Call[] = [
  { method: 'app:info', input: {} },
  { method: 'settings:get', input: {} },
  { method: 'fleet:list-zones', input: {} },
  { method: 'fleet:list-clusters', input: {} },
  { method: 'fleet:list-rows', input: {} },
  { method: 'fleet:list-rtp', input: {} },
  { method: 'monitoring:latest-summaries', input: {} },
  { method: 'monitoring:backend', input: {} },
  { method: 'monitoring:events', input: { limit: 200 } },
];

/** Long enough for a slow start on a loaded machine; short enough that no screen reads old data later. */
const KEEP_MS = 10_000;

const sent = new Map<string, Promise<Response>>();
/**
 * Set by the transport's first call. The boot script is async: on a slow start it may run after
 * the console has made its own first calls, and a reply it fetched then would be older than a
 * call the console makes later for the same body (after a fleet change, say). So once the
 * console calls, the boot script sends nothing.
 */
let consoleStarted = false;

/** The body the transport sends for a call: the key a first call is found by. */
export function callBody(method: string, input: unknown): string {
  return JSON.stringify({ method, input });
}

/** Sends the first calls now, with the page's token (spending the sign-in ticket, once). */
export function sendFirstCalls(fetchCall: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init)): void {
  if (consoleStarted) return;
  const token = sharedPageToken()();
  for (const { method, input } of FIRST_CALLS) {
    const body = callBody(method, input);
    const reply = token.then((t) =>
      fetchCall('/api/call', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...authHeaders(t) },
        body,
      }),
    );
    // A reply nobody takes must not be reported as an unhandled failure; a taker sees the failure.
    reply.catch(() => undefined);
    sent.set(body, reply);
    setTimeout(() => {
      if (sent.get(body) === reply) sent.delete(body);
    }, KEEP_MS);
  }
}

/** The reply to a first call with exactly this body, once; undefined if none is waiting. Every call of the console's transport asks. */
export function takeFirstCall(body: string): Promise<Response> | undefined {
  consoleStarted = true;
  const reply = sent.get(body);
  sent.delete(body);
  return reply;
}
