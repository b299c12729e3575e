import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback APIBAN v1: `GET /api/{KEY}/banned/{ID}` pages through `pages` (the first from ID
// 100, each answering with the ID of the next), the end is HTTP 400 {"ipaddress":["no new bans"],
// "ID":"none"}; a wrong key gets 403; `/check/{IP}` answers from the pages. Rate limits (429) are
// injected per ID, so a test can cut paging in the middle.

export interface ApibanPage {
  /** An array, or a single string as APIBAN sometimes sends. */
  ipaddress: string[] | string;
  id: string;
}

export interface FakeApiban {
  baseUrl: string;
  /** `127.0.0.1:PORT`: the test host plain http must be allowed for (the key travels in the path). */
  host: string;
  /** Every path requested, in order (the key replaced by KEY). */
  requests: string[];
  /** The next `times` requests for this ID get 429 (with Retry-After when given). */
  rateLimit(id: string, times: number, retryAfterSec?: number): void;
  setPages(pages: ApibanPage[]): void;
  close(): Promise<void>;
}

export async function startFakeApiban(key: string, initial: ApibanPage[]): Promise<FakeApiban> {
  let pages = initial;
  const limits = new Map<string, { times: number; retryAfter: number | undefined }>();
  const requests: string[] = [];
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const parts = (req.url ?? '').split('/').map(decodeURIComponent);
    // ['', 'api', KEY, 'banned' | 'check', ID | IP]
    requests.push(parts.map((p, i) => (i === 2 ? 'KEY' : p)).join('/'));
    if (parts[1] !== 'api' || parts.length !== 5) return send(res, 404, { error: 'not found' });
    if (parts[2] !== key) return send(res, 403, { ipaddress: ['unauthorized'], ID: 'none' });
    const arg = parts[4] ?? '';
    if (parts[3] === 'check') {
      const hit = pages.find((p) => (Array.isArray(p.ipaddress) ? p.ipaddress : [p.ipaddress]).includes(arg));
      return hit ? send(res, 200, { ipaddress: [arg], ID: hit.id }) : send(res, 404, { ipaddress: ['not blocked'], ID: 'none' });
    }
    if (parts[3] !== 'banned') return send(res, 404, { error: 'not found' });
    const limit = limits.get(arg);
    if (limit && limit.times > 0) {
      limit.times--;
      return send(
        res,
        429,
        { error: 'rate limit exceeded' },
        limit.retryAfter === undefined ? {} : { 'retry-after': String(limit.retryAfter) },
      );
    }
    const index = arg === '100' ? 0 : pages.findIndex((p) => p.id === arg) + 1;
    const page = index > 0 || arg === '100' ? pages[index] : undefined;
    if (!page) return send(res, 400, { ipaddress: ['no new bans'], ID: 'none' });
    return send(res, 200, { ipaddress: page.ipaddress, ID: page.id });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    rateLimit: (id, times, retryAfter) => void limits.set(id, { times, retryAfter }),
    setPages: (next) => void (pages = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `count` distinct global unicast addresses starting at `from`, in 45.64.0.0/10. A feed must list
 * global addresses to be kept at all (documentation ranges are dropped as not global); these are
 * only ever strings in a test's database and in sets inside a test's own network namespace.
 */
export function addresses(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `45.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
  });
}
