import { readBannedPage, readCheckAnswer, type BannedPage, type CheckAnswer } from '../../domain/apiban/banned-page';

// The APIBAN v1 HTTP API, one request per call. Status codes are turned into outcomes the sync
// loop can act on: 403 a refused key, 429 a rate limit (with Retry-After when the server gave
// one), 400 with "no new bans" the end of the list. The key is part of the path, so it is never
// written into an error message.

export type BannedFetch =
  | BannedPage
  | { kind: 'forbidden' }
  | { kind: 'rate-limited'; retryAfterMs: number | null }
  | { kind: 'error'; message: string };

export interface ApibanClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function join(base: string, ...parts: string[]): string {
  return `${base.replace(/\/+$/, '')}/${parts.map(encodeURIComponent).join('/')}`;
}

function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createApibanClient(options: ApibanClientOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const doFetch = options.fetch ?? fetch;

  const get = async (url: string, what: string): Promise<Response | { kind: 'error'; message: string }> => {
    try {
      return await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return { kind: 'error', message: `APIBAN could not be reached for ${what}: ${reason}.` };
    }
  };

  return {
    async banned(base: string, key: string, fromId: string): Promise<BannedFetch> {
      const response = await get(join(base, 'api', key, 'banned', fromId), `the page from ID ${fromId}`);
      if (!(response instanceof Response)) return response;
      if (response.status === 403) return { kind: 'forbidden' };
      if (response.status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfter(response.headers.get('retry-after')) };
      const body = await bodyOf(response);
      if (response.status !== 200 && response.status !== 400) {
        return { kind: 'error', message: `APIBAN answered HTTP ${response.status} for the page from ID ${fromId}; try again later.` };
      }
      try {
        const page = readBannedPage(body);
        if (response.status === 400 && page.kind !== 'end') return { kind: 'error', message: `APIBAN refused the request from ID ${fromId} (HTTP 400).` };
        return page;
      } catch (err) {
        return { kind: 'error', message: `APIBAN's page from ID ${fromId} cannot be read: ${err instanceof Error ? err.message : String(err)}.` };
      }
    },

    async check(base: string, key: string, ip: string): Promise<CheckAnswer | Exclude<BannedFetch, BannedPage>> {
      const response = await get(join(base, 'api', key, 'check', ip), `checking ${ip}`);
      if (!(response instanceof Response)) return response;
      if (response.status === 403) return { kind: 'forbidden' };
      if (response.status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfter(response.headers.get('retry-after')) };
      const body = await bodyOf(response);
      if (response.status === 404 || response.status === 400) return { banned: false };
      if (response.status !== 200) return { kind: 'error', message: `APIBAN answered HTTP ${response.status} for ${ip}.` };
      try {
        return readCheckAnswer(body);
      } catch (err) {
        return { kind: 'error', message: `APIBAN's answer for ${ip} cannot be read: ${err instanceof Error ? err.message : String(err)}.` };
      }
    },
  };
}

export type ApibanClient = ReturnType<typeof createApibanClient>;
