// GET /metrics on the loopback web host: behind exactly the Host/Origin checks and the token of
// /api (Bearer, as Prometheus and the console's page send it; never a cookie), GET only, the exposition's
// content type, and a plain 404 when the host was started without --metrics (never the console's
// page, which a scraper would misread as a malformed exposition).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { createFakeHost } from '../helpers/fake-host';
import { bearer, INDEX_MARK, send } from '../helpers/web-client';

const EXPOSITION = '# HELP switchyard_build_info Build.\n# TYPE switchyard_build_info gauge\nswitchyard_build_info{version="1"} 1\n';

let dir: string;
let withMetrics: WebHost;
let without: WebHost;
let failing: WebHost;
const logged: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchyard-metrics-web-'));
  await writeFile(path.join(dir, 'index.html'), `<!doctype html>${INDEX_MARK}`);
  withMetrics = await startWebHost({ app: createFakeHost(), staticDir: dir, metrics: () => EXPOSITION });
  without = await startWebHost({ app: createFakeHost(), staticDir: dir });
  failing = await startWebHost({
    app: createFakeHost(),
    staticDir: dir,
    log: (line) => logged.push(line),
    metrics: () => {
      throw new Error('render failed');
    },
  });
});

afterAll(async () => {
  await Promise.all([withMetrics.close(), without.close(), failing.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('GET /metrics', () => {
  it('answers the exposition to the Bearer token, uncached, with the security headers of every answer', async () => {
    const reply = await send(withMetrics.port, { path: '/metrics', headers: bearer(withMetrics.token) });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.body).toBe(EXPOSITION);
  });

  it('compresses for a scraper that asks for gzip, as Prometheus does', async () => {
    const reply = await fetch(`http://127.0.0.1:${withMetrics.port}/metrics`, {
      headers: { ...bearer(withMetrics.token), 'accept-encoding': 'gzip' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-encoding')).toBe('gzip');
    expect(reply.headers.get('vary')).toBe('Accept-Encoding');
    // fetch undoes the encoding: what arrives is the exposition itself.
    expect(await reply.text()).toBe(EXPOSITION);
  });

  it('refuses a cookie holding the token (a cookie reaches every port of 127.0.0.1)', async () => {
    const reply = await send(withMetrics.port, {
      path: '/metrics',
      headers: { cookie: `switchyard_token_${withMetrics.port}=${withMetrics.token}` },
    });
    expect(reply.status).toBe(401);
  });

  it('refuses a missing or wrong token with 401 and a Bearer challenge, and never trades a token in the URL', async () => {
    for (const headers of [{}, bearer('0'.repeat(64)), { authorization: `Basic ${withMetrics.token}` }]) {
      const reply = await send(withMetrics.port, { path: '/metrics', headers });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="switchyard"');
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.body).not.toContain('switchyard_build_info');
    }
    const query = await send(withMetrics.port, { path: `/metrics?token=${withMetrics.token}` });
    expect(query.status).toBe(401);
    expect(query.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host or Origin with 403 even with the token (DNS rebinding)', async () => {
    const auth = bearer(withMetrics.token);
    const foreign: Record<string, string>[] = [
      { host: `evil.example:${withMetrics.port}` },
      { host: `127.0.0.1:${withMetrics.port + 1}` },
      { origin: 'http://evil.example' },
    ];
    for (const headers of foreign) {
      const reply = await send(withMetrics.port, { path: '/metrics', headers: { ...auth, ...headers } });
      expect(reply.status).toBe(403);
      expect(reply.body).not.toContain('switchyard_build_info');
    }
    expect((await send(withMetrics.port, { path: '/metrics', headers: { ...auth, host: `localhost:${withMetrics.port}` } })).status).toBe(
      200,
    );
  });

  it('refuses HEAD, POST and the rest with 405, naming GET', async () => {
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE']) {
      const reply = await send(withMetrics.port, { method, path: '/metrics', headers: bearer(withMetrics.token) });
      expect(reply.status).toBe(405);
      expect(reply.headers['allow']).toBe('GET');
    }
  });

  it('is a plain 404 on a host started without metrics, still behind the token', async () => {
    const reply = await send(without.port, { path: '/metrics', headers: bearer(without.token) });
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body).toContain('--metrics');
    expect(reply.body).not.toContain(INDEX_MARK);
    expect((await send(without.port, { path: '/metrics' })).status).toBe(401);
    // Other paths still fall back to the console's page as before.
    expect((await send(without.port, { path: '/fleet', headers: bearer(without.token) })).body).toContain(INDEX_MARK);
  });

  it('answers 500 and logs when rendering fails', async () => {
    const reply = await send(failing.port, { path: '/metrics', headers: bearer(failing.token) });
    expect(reply.status).toBe(500);
    expect(logged.join('\n')).toContain('render failed');
  });
});
