// A real HTTP receiver on 127.0.0.1 for webhook tests: records every request (method, path,
// headers, parsed JSON body) and answers the way a test tells it to: a status with a body and
// headers, or not at all (`hang`: headers never come, as a stuck receiver does).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
}

export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  /** "http://127.0.0.1:PORT" + path. */
  url(path: string): string;
  requests: ReceivedRequest[];
  /** How the following requests are answered (all of them, or by a function of each). */
  answer(how: Answer | ((request: ReceivedRequest) => Answer)): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let how: Answer | ((request: ReceivedRequest) => Answer) = { status: 200, body: 'ok' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        body = undefined;
      }
      const request: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body };
      requests.push(request);
      const answer = typeof how === 'function' ? how(request) : how;
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    answer: (next) => void (how = next),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests would hold close() open: end them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
