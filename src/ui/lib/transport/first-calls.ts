import { callBody, FIRST_CALLS, FIRST_SCREEN_ELEMENT_ID, FIRST_SCREEN_META_NAME, readWrittenAnswer } from '../../../contract/first-screen';
import { authHeaders, sharedPageToken } from './page-token';

// The calls every screen of the console makes first (the fleet store's and monitoring's start,
// listed in src/contract/first-screen.ts), answered before the console asks, two ways:
//   - a host that knows who opened the page writes their answers into it (src/host/web/
//     first-screen.ts): the console reads them from the page, with no call at all;
//   - otherwise (a reload, the page served without credentials) the console's start
//     (src/ui/main.ts) sends them all at once, before the shell is built, so the replies travel
//     while it mounts.
// The transport takes each answer once, for a call with exactly the same body; one nobody took
// in KEEP_MS is dropped, and the screen's own call goes out as before.

export { callBody, FIRST_CALLS } from '../../../contract/first-screen';

/** Long enough for a slow start on a loaded machine; short enough that no screen reads old data later. */
const KEEP_MS = 10_000;

const sent = new Map<string, Promise<Response>>();
/**
 * Set by the transport's first call. A reply fetched after the console has made its own calls
 * could be older than a call it makes later for the same body (after a fleet change, say), so
 * once the console calls, nothing is sent early any more.
 */
let consoleStarted = false;

interface PageElement {
  textContent: string | null;
  remove(): void;
}
interface PageDocument {
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
}
/** Browser globals, read off globalThis so this module also loads (and type-checks) in Node. */
const browser = globalThis as { document?: PageDocument };

/** True when the host said, in the page's head, that the first screen's answers follow in its body. */
export function pageBringsAnswers(doc: PageDocument | undefined = browser.document): boolean {
  return doc?.querySelector(`meta[name="${FIRST_SCREEN_META_NAME}"][content="inline"]`) != null;
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

let written: Map<string, unknown> | null = null;

/**
 * The page's written answers, read once: the element is removed (its text is the whole fleet) and
 * what the console has not taken in KEEP_MS is dropped.
 */
function writtenAnswers(doc: PageDocument | undefined): Map<string, unknown> {
  if (written !== null) return written;
  const answers = new Map<string, unknown>();
  written = answers;
  const element = doc?.getElementById(FIRST_SCREEN_ELEMENT_ID);
  if (element == null) return answers;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(element.textContent ?? '');
  } catch {
    // Unreadable: the console calls as on a reload.
  }
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [body, reply] of Object.entries(parsed)) {
      try {
        answers.set(body, readWrittenAnswer(reply));
      } catch {
        // This answer unreadable: the console makes this call itself.
      }
    }
  }
  element.remove();
  setTimeout(() => answers.clear(), KEEP_MS);
  return answers;
}

/**
 * The answer the host wrote into the page for a call with exactly this body, once; undefined if
 * there is none. The transport asks before anything else, even before it has the token.
 */
export function takeWrittenAnswer(body: string, doc: PageDocument | undefined = browser.document): unknown {
  consoleStarted = true;
  const answers = writtenAnswers(doc);
  const answer = answers.get(body);
  answers.delete(body);
  return answer;
}
