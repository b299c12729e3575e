import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApibanClient } from '../../src/services/apiban/apiban-client';
import { APIBAN_KEY_SECRET, createApibanService } from '../../src/services/apiban/apiban-service';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { createMemorySecretStore } from '../../src/services/secrets/secret-store';
import { openStore } from '../../src/services/store/store';
import { addresses, startFakeApiban } from '../helpers/apiban-server';
import { freePort } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';
import { makeTestCa } from '../helpers/test-certs';

// The key travels in the request path, so the base URL decides who reads it: https only, plain
// http for the one test host named. And whatever listens (or not) at the base URL, a check
// answers with the same words after the same time: no port-scan oracle on this machine.

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const TIMEOUT_MS = 600;
const tempDir = useTempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function service() {
  const store = openStore({ file: path.join(tempDir(), 'switchyard.db') });
  cleanups.push(() => store.close());
  const secrets = createMemorySecretStore();
  const logged: string[] = [];
  const apiban = createApibanService({
    store,
    secrets,
    client: createApibanClient({ timeoutMs: TIMEOUT_MS, log: (m) => logged.push(m) }),
    clock: Date.now,
    recipes: defaultRecipeBook,
    exec: () => Promise.reject(new Error('no SSH in this test')),
    hostAddresses: () => [],
  });
  return { store, secrets, apiban, logged };
}

/** Listens on loopback; at cleanup every connection still open (a silent peer keeps them) is cut first. */
async function listen<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the APIBAN base URL', () => {
  it('refuses plain http unless that host and port are named, keeping the key and URL as they were', async () => {
    const api = await startFakeApiban(KEY, [{ ipaddress: addresses(0, 3), id: '200' }]);
    cleanups.push(() => api.close());
    const { apiban, secrets, store } = service();
    expect(() => apiban.setKey({ key: KEY, baseUrl: api.baseUrl })).toThrow(
      expect.objectContaining({ field: 'baseUrl', message: expect.stringContaining('unencrypted') }),
    );
    expect(() => apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: '127.0.0.1:1' })).toThrow(
      expect.objectContaining({ field: 'baseUrl' }),
    );
    expect(() => apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: 'http://127.0.0.1' })).toThrow(
      expect.objectContaining({ field: 'httpHost' }),
    );
    expect(secrets.get(APIBAN_KEY_SECRET)).toBeNull();
    expect(store.apiban.state().baseUrl).toBe('https://apiban.org');
    expect(api.requests).toEqual([]);

    const status = apiban.setKey({ key: KEY, baseUrl: `${api.baseUrl}/`, httpHost: api.host });
    expect(status).toMatchObject({ keySet: true, baseUrl: api.baseUrl, schedule: { httpHost: api.host } });
    await expect(apiban.sync()).resolves.toMatchObject({ outcome: 'complete', added: 3 });
    // Withdrawing the allowance while the URL is still http is refused, naming the URL to change.
    expect(() => apiban.setKey({ httpHost: null })).toThrow(expect.objectContaining({ field: 'baseUrl' }));
    apiban.setKey({ baseUrl: 'https://apiban.org', httpHost: null });
    expect(apiban.status()).toMatchObject({ baseUrl: 'https://apiban.org', schedule: { httpHost: null } });
  });

  it('never sends the key over a plain http URL stored by an older version, and says why', async () => {
    const api = await startFakeApiban(KEY, [{ ipaddress: addresses(0, 3), id: '200' }]);
    cleanups.push(() => api.close());
    const { apiban, store, secrets } = service();
    secrets.set(APIBAN_KEY_SECRET, KEY);
    store.apiban.setBaseUrl(api.baseUrl);
    await expect(apiban.sync()).rejects.toMatchObject({ field: 'baseUrl', message: expect.stringContaining('unencrypted') });
    await expect(apiban.check('8.8.8.8')).rejects.toMatchObject({ field: 'baseUrl' });
    expect(api.requests).toEqual([]);
    expect(apiban.status()).toMatchObject({ lastOutcome: 'failed', lastMessage: expect.stringContaining('Nothing was sent') });
  });

  it('does not follow a redirect, so the key in the path goes nowhere else', async () => {
    const elsewhere = await startFakeApiban(KEY, [{ ipaddress: addresses(0, 3), id: '200' }]);
    cleanups.push(() => elsewhere.close());
    const { port } = await listen(
      http.createServer((req, res) => res.writeHead(302, { location: `${elsewhere.baseUrl}${req.url ?? ''}` }).end()),
    );
    const { apiban } = service();
    apiban.setKey({ key: KEY, baseUrl: `http://127.0.0.1:${port}`, httpHost: `127.0.0.1:${port}` });
    await expect(apiban.sync()).resolves.toMatchObject({ outcome: 'failed', message: expect.stringContaining('unreachable') });
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('apiban:check is no port-scan oracle', () => {
  it('answers a closed port, a silent one, one that hangs up, a web page, another JSON service and a TLS server alike', async () => {
    const closed = await freePort();
    const silent = await listen(net.createServer(() => undefined));
    const hangsUp = await listen(net.createServer((socket) => socket.destroy()));
    const webPage = await listen(
      http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>')),
    );
    const otherJson = await listen(
      http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","version":"1.2"}')),
    );
    const ca = makeTestCa(tempDir());
    const leaf = ca.leaf({ name: 'local', cn: '127.0.0.1', sans: ['IP:127.0.0.1'], toDays: 30 });
    const tls = await listen(
      https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end('{"ipaddress":["not blocked"],"ID":"none"}')),
    );
    const targets = [
      { name: 'closed', url: `http://127.0.0.1:${closed}` },
      { name: 'silent', url: `http://127.0.0.1:${silent.port}` },
      { name: 'hangs up', url: `http://127.0.0.1:${hangsUp.port}` },
      { name: 'web page', url: `http://127.0.0.1:${webPage.port}` },
      { name: 'other JSON', url: `http://127.0.0.1:${otherJson.port}` },
      { name: 'TLS, untrusted', url: `https://127.0.0.1:${tls.port}` },
    ];

    const answers: { name: string; error: unknown; ms: number }[] = [];
    const { apiban, logged } = service();
    for (const target of targets) {
      const host = new URL(target.url).host;
      apiban.setKey({ key: KEY, baseUrl: target.url, httpHost: target.url.startsWith('http:') ? host : null });
      const started = Date.now();
      const error = await apiban.check('8.8.8.8').then(
        () => null,
        (e: unknown) => ({ code: (e as { code?: string }).code, message: (e as Error).message }),
      );
      answers.push({ name: target.name, error, ms: Date.now() - started });
    }
    const first = answers[0]?.error;
    expect(first).toMatchObject({ code: 'internal', message: expect.stringContaining('unreachable') });
    for (const answer of answers) {
      expect(answer.error, answer.name).toEqual(first);
      // The same time too: every failure is answered at the request's deadline, not before.
      expect(answer.ms, answer.name).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(answer.ms, answer.name).toBeLessThan(TIMEOUT_MS + 1_500);
    }
    const text = JSON.stringify(first);
    for (const port of [closed, silent.port, hangsUp.port, webPage.port, otherJson.port, tls.port])
      expect(text).not.toContain(String(port));
    expect(text).not.toContain('127.0.0.1');
    // The operator's log says what happened, never with the key.
    expect(logged).toHaveLength(targets.length);
    expect(logged.join('\n')).not.toContain(KEY);
  });
});
