import type { ServerResponse } from 'node:http';
import { callBody, FIRST_CALLS, FIRST_SCREEN_ELEMENT_ID, FIRST_SCREEN_META_NAME } from '../../contract/first-screen';
import type { Dispatch } from '../dispatch';

// The console's page with the answers to its first calls written into it, for a request the host
// already knows to be authorised (the loopback host: the page ticket of the printed URL; the team
// host: a live session, the calls running as its account). The page then draws its first screen
// without a single call: no token exchange, no round trip, no queueing behind the probes on a busy
// host. The head (scripts, styles) leaves at once, so the browser fetches them while the answers
// are made; the answers follow in the same response. A request without such credentials gets the
// page as built, with no data in it.
//
// The answers sit in a `<script type="application/json">` element: the browser never runs it (the
// CSP stays `script-src 'self'`), and the page reads it as text. What could end that element early
// or be read as markup is escaped (`<`, `>`, `&`), and so are U+2028/U+2029, which some parsers of
// the text treat as line ends, so an alias holding `</script>` stays an alias.

/** The answers of the first calls as the dispatch gives them to this caller, keyed by call body. */
export async function firstScreenAnswers(dispatch: Dispatch): Promise<Record<string, unknown>> {
  const answers = await Promise.all(FIRST_CALLS.map(({ method, input }) => dispatch(method, input)));
  return Object.fromEntries(FIRST_CALLS.map(({ method, input }, i) => [callBody(method, input), answers[i]]));
}

/** JSON that can stand inside an HTML `<script>` element: it cannot close the element or open a comment. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function firstScreenElement(answers: Record<string, unknown>): string {
  return `<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">${jsonForHtml(answers)}</script>`;
}

const META = `<meta name="${FIRST_SCREEN_META_NAME}" content="inline">`;

/**
 * The page cut where the marker and the answers go: the marker first in the head, the answers first
 * in the body. A page without both tags (not as the build makes it) gets both at its end, where
 * the browser still finds them.
 */
export function splitPage(html: string): { head: string; rest: string } {
  const headAt = html.search(/<head(\s[^>]*)?>/i);
  const bodyAt = html.search(/<body(\s[^>]*)?>/i);
  if (headAt === -1 || bodyAt === -1 || bodyAt < headAt) return { head: html + META, rest: '' };
  const headEnd = html.indexOf('>', headAt) + 1;
  const bodyEnd = html.indexOf('>', bodyAt) + 1;
  return { head: html.slice(0, headEnd) + META + html.slice(headEnd, bodyEnd), rest: html.slice(bodyEnd) };
}

/**
 * Sends the page with the first screen's answers: the head now, the answers when made. Never
 * cached (it holds data); the caller has established who is asking.
 */
export async function sendPageWithAnswers(res: ServerResponse, html: string, dispatch: Dispatch): Promise<void> {
  const parts = splitPage(html);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.statusCode = 200;
  res.write(parts.head);
  // Node holds a response's writes until the next tick; the answers read SQLite synchronously,
  // so without this turn the head would wait for them instead of travelling first.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let element = '';
  try {
    element = firstScreenElement(await firstScreenAnswers(dispatch));
  } catch {
    // The page still works without them: its calls go out as on any reload.
  }
  res.end(element + parts.rest);
}
