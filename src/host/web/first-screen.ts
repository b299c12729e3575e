import type { ServerResponse } from 'node:http';
import { callBody, FIRST_CALLS, FIRST_SCREEN_ELEMENT_ID, FIRST_SCREEN_META_NAME, writtenAnswer } from '../../contract/first-screen';
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

/** One turn of the event loop: requests that came in meanwhile are answered before going on. */
const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The answers of the first calls as the dispatch gives them to this caller, keyed by call body,
 * one at a time with a turn of the event loop before each: the page asks for its scripts and
 * styles while its answers are made, and those requests are answered between two answers instead
 * of waiting for all of them (at 1,000 servers the fleet's rows alone take about 15 ms to read).
 * A call whose dispatch throws is left out; the page makes it itself.
 */
export async function* firstScreenAnswers(dispatch: Dispatch): AsyncGenerator<[string, unknown]> {
  for (const { method, input } of FIRST_CALLS) {
    await turn();
    let answer: unknown;
    try {
      answer = await dispatch(method, input);
    } catch {
      continue;
    }
    yield [callBody(method, input), answer];
  }
}

/** JSON that can stand inside an HTML `<script>` element: it cannot close the element or open a comment. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The element holding the answers, `{ [callBody]: envelope }` with long lists packed (`writtenAnswer`),
 * in the pieces it is written in.
 */
export const FIRST_SCREEN_ELEMENT = {
  open: `<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">{`,
  /** `written`: the answer as `writtenAnswer` gives it. */
  member: (key: string, written: unknown, first: boolean): string => `${first ? '' : ','}${jsonForHtml(key)}:${jsonForHtml(written)}`,
  close: '}</script>',
};

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
 * Sends the page with the first screen's answers: the head now, each answer as it is made. Never
 * cached (it holds data); the caller has established who is asking.
 */
export async function sendPageWithAnswers(res: ServerResponse, html: string, dispatch: Dispatch): Promise<void> {
  const parts = splitPage(html);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.statusCode = 200;
  res.write(parts.head + FIRST_SCREEN_ELEMENT.open);
  let first = true;
  for await (const [key, answer] of firstScreenAnswers(dispatch)) {
    // Packing and writing out a 10,000-server answer take tens of milliseconds each: the page's
    // scripts and styles, asked for meanwhile, are sent between the two, not after both.
    await turn();
    const written = writtenAnswer(answer);
    await turn();
    if (res.destroyed) return;
    res.write(FIRST_SCREEN_ELEMENT.member(key, written, first));
    first = false;
  }
  res.end(FIRST_SCREEN_ELEMENT.close + parts.rest);
}
