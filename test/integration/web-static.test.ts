import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bearer, INDEX_MARK, SECRET, send, sendRaw, startFixture, type Fixture } from '../helpers/web-client';

// The renderer's files and nothing else: traversal in every spelling stays inside staticDir,
// client-side routes get index.html, and each file goes out with its content type.

let fx: Fixture;
let port: number;
let token: string;

beforeAll(async () => {
  fx = await startFixture();
  ({ port, token } = fx.host);
});
afterAll(() => fx.close());

const get = (pathName: string) => send(port, { path: pathName, headers: bearer(token) });

describe('static files', () => {
  it('serves index.html for / and for client-side routes, revalidated on every use', async () => {
    for (const route of ['/', '/fleet', '/fleet/servers/srv-1', '/settings/']) {
      const reply = await get(route);
      expect(reply.status, route).toBe(200);
      expect(reply.body).toContain(INDEX_MARK);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves assets with their content types', async () => {
    const expected: Record<string, string> = {
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/app.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/index.html': 'text/html; charset=utf-8',
    };
    for (const [file, type] of Object.entries(expected)) {
      const reply = await get(file);
      expect(reply.status, file).toBe(200);
      expect(reply.headers['content-type'], file).toBe(type);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers 404 for a missing file that has an extension', async () => {
    const reply = await get('/assets/missing.js');
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain(INDEX_MARK);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await send(port, { method: 'HEAD', path: '/assets/app.js', headers: bearer(token) });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const put = await send(port, { method: 'PUT', path: '/assets/app.js', headers: bearer(token), body: 'x' });
    expect(put.status).toBe(405);
  });

  it('does not serve hidden files or follow a symlink out of the folder', async () => {
    for (const file of ['/.env', '/leak.txt', '/assets/../.env']) {
      const reply = await get(file);
      expect(reply.status, file).not.toBe(200);
      expect(reply.body).not.toContain(SECRET);
    }
  });

  const traversals = [
    '/../secret.txt',
    '/../package.json',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/package.json',
    '/%2e%2e/',
    '/..%2fsecret.txt',
    '/..%2Fpackage.json',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%252e%252e/secret.txt',
    '/secret.txt%00.html',
    '/%00',
    '/%c0%ae%c0%ae/secret.txt',
    '/%',
    `/${'../'.repeat(20)}etc/passwd`,
  ];

  for (const attempt of traversals) {
    it(`keeps ${JSON.stringify(attempt)} inside staticDir`, async () => {
      const reply = await send(port, { path: attempt, headers: bearer(token) });
      expect(reply.body).not.toContain(SECRET);
      expect(reply.body).not.toContain('root:');
      // Refused outright, never answered with a file (a traversal is not a client-side route).
      expect([400, 404]).toContain(reply.status);
    });
  }

  it('refuses a literal NUL and raw dot segments sent byte for byte', async () => {
    const requests = [
      `GET /secret.txt\0.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      `GET /../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      `GET /./../../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      `GET ../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      `GET http://127.0.0.1:${port}/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    ];
    for (const raw of requests) {
      const answer = await sendRaw(port, raw);
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer).not.toContain(SECRET);
    }
  });

  it('says the renderer is not built when index.html is missing', async () => {
    const other = await startFixture();
    try {
      await rm(path.join(other.staticDir, 'index.html'));
      const reply = await send(other.host.port, { path: '/fleet', headers: bearer(other.host.token) });
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build:ui');
    } finally {
      await other.close();
    }
  });
});
