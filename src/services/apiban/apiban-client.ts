import { checkBaseUrl } from '../../domain/apiban/base-url';
import { isApibanBody, readBannedPage, readCheckAnswer, type BannedPage, type CheckAnswer } from '../../domain/apiban/banned-page';
import { errorMessage } from '../../domain/error-message';

// The APIBAN v1 HTTP API, one request per call, trusting neither the URL nor the answer:
// - the key is part of the path, so a request is only made over https, or plain http to the one
//   test host the operator named; redirects are not followed (they could carry the path elsewhere);
// - 403 is a refused key, 429 a rate limit (with Retry-After when given), 200/400 with APIBAN's
//   JSON a page or the end of the list. Anything else — no connection, a TLS failure, a timeout, an
//   HTML page, another service's JSON, a redirect, a body too large — is one outcome,
//   "unreachable", answered only when the request's deadline has passed. Whatever listens (or does
//   not) at the address, the caller sees the same words at the same time: no port-scan oracle. The
//   cause goes to the host's log, without the key.

export type ApibanFailure =
  | { kind: 'forbidden' }
  | { kind: 'rate-limited'; retryAfterMs: number | null }
  | { kind: 'unreachable' }
  /** An APIBAN answer that cannot be used (no ID, too many entries); the message says what. */
  | { kind: 'unreadable'; message: string }
  /** The base URL is refused before anything is sent (plain http not allowed for its host). */
  | { kind: 'insecure'; message: string };

export type BannedFetch = BannedPage | ApibanFailure;

export interface ApibanTarget {
  baseUrl: string;
  key: string;
  /** The one `host[:port]` plain http is allowed for; null: https only. */
  httpHost: string | null;
}

export interface ApibanClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Where the cause of an "unreachable" goes (the host's log); never given the key. */
  log?: (message: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** An APIBAN page is a few kilobytes; a body past this is not APIBAN's answer. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function join(base: string, ...parts: string[]): string {
  return `${base.replace(/\/+$/, '')}/${parts.map(encodeURIComponent).join('/')}`;
}

function retryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The body as JSON, or undefined when it is not JSON or larger than an APIBAN answer can be. */
async function boundedJson(response: Response): Promise<unknown> {
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer in time';
  const cause = err.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : err.name;
}

export function createApibanClient(options: ApibanClientOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  type Answer = { status: number; body: unknown; retryAfterMs: number | null };

  /** One GET; an answer with its JSON body, or a failure already padded to the deadline. */
  const get = async (target: ApibanTarget, parts: string[], what: string, signal?: AbortSignal): Promise<Answer | ApibanFailure> => {
    const checked = checkBaseUrl(target.baseUrl, target.httpHost);
    if ('error' in checked) return { kind: 'insecure', message: `The APIBAN base URL ${checked.error}. Nothing was sent.` };
    const started = now();
    const unreachable = async (cause: string): Promise<ApibanFailure> => {
      log(`[switchyard] APIBAN: no usable answer for ${what} (${cause}).`);
      const left = started + timeoutMs - now();
      if (left > 0 && signal?.aborted !== true) await sleep(left);
      return { kind: 'unreachable' };
    };
    try {
      const deadline = AbortSignal.timeout(timeoutMs);
      const response = await doFetch(join(checked.url, 'api', target.key, ...parts), {
        signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
      if (response.status === 403) return { kind: 'forbidden' };
      if (response.status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfter(response.headers.get('retry-after'), now()) };
      if (response.status >= 300 && response.status < 400) return unreachable(`HTTP ${response.status}, a redirect, not followed`);
      const body = await boundedJson(response);
      if (!isApibanBody(body)) return unreachable(`HTTP ${response.status} without APIBAN's JSON`);
      return { status: response.status, body, retryAfterMs: null };
    } catch (err) {
      return unreachable(causeOf(err));
    }
  };

  return {
    timeoutMs,

    async banned(target: ApibanTarget, fromId: string, signal?: AbortSignal): Promise<BannedFetch> {
      const what = `the page from ID ${fromId}`;
      const answer = await get(target, ['banned', fromId], what, signal);
      if ('kind' in answer) return answer;
      if (answer.status !== 200 && answer.status !== 400)
        return { kind: 'unreadable', message: `APIBAN answered HTTP ${answer.status} for ${what}` };
      try {
        const page = readBannedPage(answer.body);
        if (answer.status === 400 && page.kind !== 'end')
          return { kind: 'unreadable', message: `APIBAN refused the request for ${what} (HTTP 400)` };
        return page;
      } catch (err) {
        return { kind: 'unreadable', message: `APIBAN's ${what} cannot be read: ${errorMessage(err)}` };
      }
    },

    async check(target: ApibanTarget, ip: string): Promise<CheckAnswer | ApibanFailure> {
      const answer = await get(target, ['check', ip], `checking an address`);
      if ('kind' in answer) return answer;
      if (answer.status === 404 || answer.status === 400) return { banned: false };
      if (answer.status !== 200) return { kind: 'unreadable', message: `APIBAN answered HTTP ${answer.status} for ${ip}` };
      try {
        return readCheckAnswer(answer.body);
      } catch (err) {
        return { kind: 'unreadable', message: `APIBAN's answer for ${ip} cannot be read: ${errorMessage(err)}` };
      }
    },
  };
}

export type ApibanClient = ReturnType<typeof createApibanClient>;

/** The one sentence every "unreachable" becomes: no address, no port, no cause. */
export const UNREACHABLE_MESSAGE =
  'APIBAN is unreachable at the configured base URL (no answer, or not an APIBAN answer). Check the base URL, or try again later.';
