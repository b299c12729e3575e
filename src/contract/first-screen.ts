import type { InputOf, MethodName } from './methods';
import { NotPackable, packValue, unpackValue } from './packed-records';

// The calls every screen of the console makes first (the fleet store's and monitoring's start).
// Both sides name them from here: the console's start sends them early when it must, and a web
// host that knows who is asking writes their answers into the page it serves, so the first screen
// needs no round trip at all (src/host/web/first-screen.ts). test/e2e/first-calls.test.ts holds
// the list to what the stores really ask.

export type FirstCall = { [M in MethodName]: { method: M; input: InputOf<M> } }[MethodName];

export const FIRST_CALLS: readonly FirstCall[] = [
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

/** The body a transport sends for a call: the key an early answer is found by. */
export function callBody(method: string, input: unknown): string {
  return JSON.stringify({ method, input });
}

/** The `<script type="application/json">` element holding the answers: `{ [callBody]: envelope }`. */
export const FIRST_SCREEN_ELEMENT_ID = 'switchyard-first-screen';
/** A `<meta name=… content="inline">` in the page's head: the answers follow in the body. */
export const FIRST_SCREEN_META_NAME = 'switchyard-first-screen';

/**
 * Marks an answer the page carries packed (src/contract/packed-records.ts): `{ "$packed": form }`.
 * No envelope has this key, so an answer that cannot be packed is written as it is, beside packed ones.
 */
const PACKED = '$packed';

/** An answer as the host writes it into the page: packed when it can be (a third of the bytes at 10,000 servers). */
export function writtenAnswer(answer: unknown): unknown {
  try {
    return { [PACKED]: packValue(answer) };
  } catch (error) {
    if (error instanceof NotPackable) return answer;
    throw error;
  }
}

/** The answer back from what the page carries (parsed JSON, reused in place); throws on a packed form it cannot read. */
export function readWrittenAnswer(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, PACKED))
    return unpackValue((value as Record<string, unknown>)[PACKED]);
  return value;
}
