import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startWebHost } from '../../src/host/web/server';
import { createFakeHost } from '../helpers/fake-host';
import { bearer, closed, INDEX_MARK, nextMessage, openEvents, send, startFixture, type Fixture } from '../helpers/web-client';

// Who gets in: the token (header, printed URL), the Host and Origin checks, the address the host
// listens on, the headers on every answer, and events reaching a connected socket. How a browser
// page gets the token (the single-use ticket) is in web-session.test.ts.

let fx: Fixture;
let port: number;
let token: string;

beforeAll(async () => {
  fx = await startFixture();
  ({ port, token } = fx.host);
});
afterAll(() => fx.close());

/** Named now, built later: the token exists only once the host has started. */
const wrongTokens: Record<string, (token: string) => Record<string, string>> = {
  'no token': () => ({}),
  'a wrong token': (right) => bearer('f'.repeat(right.length)),
  'the right token plus one character': (right) => bearer(`${right}0`),
  'the right token minus its last character': (right) => bearer(right.slice(0, -1)),
  'the right token in the wrong scheme': (right) => ({ authorization: `Basic ${right}` }),
};

describe('token', () => {
  it('prints a URL on 127.0.0.1 carrying a 64-hex-character token', () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(fx.host.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
  });

  for (const [name, make] of Object.entries(wrongTokens)) {
    it(`refuses ${name} with 401 on the API and the event socket (the renderer's own files need none)`, async () => {
      const headers = make(token);
      const page = await send(port, { path: '/', headers });
      expect(page.status).toBe(200);
      expect(page.body).toContain(INDEX_MARK);
      const health = await send(port, { path: '/api/health', headers });
      expect(health.status).toBe(401);
      expect(JSON.parse(health.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      const api = await send(port, {
        method: 'POST',
        path: '/api/call',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"method":"app:info","input":{}}',
      });
      expect(api.status).toBe(401);
      expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await openEvents(port, headers)).toEqual({ refused: 401 });
      expect(await openEvents(port, {}, '/api/events', ['switchyard.events', `switchyard.token.${'f'.repeat(64)}`])).toEqual({
        refused: 401,
      });
    });
  }

  it('refuses a wrong token in the printed URL', async () => {
    const reply = await send(port, { path: `/?token=${'0'.repeat(64)}` });
    expect(reply.status).toBe(401);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('trades the printed URL for a redirect without the token and a ticket cookie that is not the token', async () => {
    const reply = await send(port, { path: `/fleet/servers?token=${token}&view=grid` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/fleet/servers?view=grid');
    expect(reply.headers['cache-control']).toBe('no-store');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^switchyard_ticket_${port}=[0-9a-f]{64};`));
    expect(cookie).not.toContain(token);
  });

  it('never redirects off the host (a protocol-relative path becomes /)', async () => {
    const reply = await send(port, { path: `//evil.example/?token=${token}` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
  });

  // Issue 16 item 6: browsers send a 127.0.0.1 cookie to every port, so a cookie holding the
  // token reached every local web app the operator opened. No cookie is a credential any more.
  it('never accepts a cookie as a credential, not even one holding the token under the old name', async () => {
    const cookie = `switchyard_token_${port}=${token}`;
    const health = await send(port, { path: '/api/health', headers: { cookie } });
    expect(health.status).toBe(401);
    const api = await send(port, {
      method: 'POST',
      path: '/api/call',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{"method":"app:info","input":{}}',
    });
    expect(api.status).toBe(401);
    expect(await openEvents(port, { cookie })).toEqual({ refused: 401 });
  });

  it('accepts the Bearer header and answers health', async () => {
    const reply = await send(port, { path: '/api/health', headers: bearer(token) });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true });
  });

  it('refuses a chosen token too short to resist guessing', async () => {
    await expect(startWebHost({ app: createFakeHost(), staticDir: fx.staticDir, token: 'short' })).rejects.toThrow(/16–256/);
  });
});

describe('Host and Origin', () => {
  const foreignHosts = () => [
    'evil.example:' + port,
    `127.0.0.1:${port + 1}`,
    '127.0.0.1',
    `localhost.evil.example:${port}`,
    `[::1]:${port}`,
  ];
  const foreignOrigins = () => [
    'http://evil.example',
    `http://evil.example:${port}`,
    `https://127.0.0.1:${port}`,
    `http://127.0.0.1:${port + 1}`,
    'null',
  ];

  it('accepts 127.0.0.1:PORT and localhost:PORT, and our own origins', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await send(port, { path: '/api/health', headers: { ...bearer(token), host } })).status).toBe(200);
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await send(port, { path: '/api/health', headers: { ...bearer(token), origin } })).status).toBe(200);
    }
  });

  it('refuses a foreign Host with 403, even with the right token, on pages, the API and the event socket', async () => {
    for (const host of foreignHosts()) {
      const headers = { ...bearer(token), host };
      const page = await send(port, { path: '/', headers });
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain(INDEX_MARK);
      expect((await send(port, { path: `/?token=${token}`, headers: { host } })).headers['set-cookie']).toBeUndefined();
      expect((await send(port, { path: '/api/health', headers })).status, host).toBe(403);
      expect(await openEvents(port, headers)).toEqual({ refused: 403 });
    }
  });

  it('refuses a foreign Origin with 403, even with the right token, on pages, the API and the event socket', async () => {
    for (const origin of foreignOrigins()) {
      const headers = { ...bearer(token), origin };
      expect((await send(port, { path: '/', headers })).status, origin).toBe(403);
      const api = await send(port, {
        method: 'POST',
        path: '/api/call',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"method":"fleet:load-demo","input":{}}',
      });
      expect(api.status, origin).toBe(403);
      expect(await openEvents(port, headers)).toEqual({ refused: 403 });
    }
    expect(fx.app.handled).not.toContain('fleet:load-demo');
  });
});

describe('listener and headers', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(fx.host.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port });
    // Nothing answers on the port at any other address of this machine, loopback or not.
    const others = ['127.0.0.2', '::1', ...externalAddresses()];
    for (const address of others) {
      expect(await reachable(address, port), address).toBe(false);
    }
    expect(await reachable('127.0.0.1', port)).toBe(true);
  });

  it('sets the security headers on pages, assets, API answers and refusals', async () => {
    const csp =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; ` +
      "frame-ancestors 'none'; form-action 'none'";
    const replies = await Promise.all([
      send(port, { path: '/', headers: bearer(token) }),
      send(port, { path: '/assets/app.js', headers: bearer(token) }),
      send(port, { path: '/api/health', headers: bearer(token) }),
      send(port, { path: '/' }),
      send(port, { path: '/', headers: { host: 'evil.example' } }),
    ]);
    for (const reply of replies) {
      expect(reply.headers['content-security-policy']).toBe(csp);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
    }
    // The page is revalidated (its ETag answers 304 when unchanged); API answers are never stored.
    expect(replies[0]?.headers['cache-control']).toBe('no-cache');
    expect(replies[2]?.headers['cache-control']).toBe('no-store');
  });
});

describe('events', () => {
  it('pushes every event on the bus to each connected socket as { event, payload }', async () => {
    const first = await openEvents(port, bearer(token));
    // As a browser page opens it: no headers of its own, the token as a second subprotocol.
    const second = await openEvents(port, { origin: `http://localhost:${port}`, host: `localhost:${port}` }, '/api/events', [
      'switchyard.events',
      `switchyard.token.${token}`,
    ]);
    if (!('opened' in first) || !('opened' in second)) throw new Error('sockets refused');
    // The host answers with the events protocol only: the token is never echoed back.
    expect(second.opened.protocol).toBe('switchyard.events');
    const received = Promise.all([nextMessage(first.opened), nextMessage(second.opened)]);
    fx.app.events.emit('fleet:changed', { entity: 'servers' });
    expect(await received).toEqual([
      { event: 'fleet:changed', payload: { entity: 'servers' } },
      { event: 'fleet:changed', payload: { entity: 'servers' } },
    ]);
    first.opened.close();
    second.opened.close();
  });

  it('refuses an unknown socket path', async () => {
    expect(await openEvents(port, bearer(token), '/api/other')).toEqual({ refused: 404 });
  });

  it('ignores a small message from the page and closes a chatty one', async () => {
    const outcome = await openEvents(port, bearer(token));
    if (!('opened' in outcome)) throw new Error('socket refused');
    const socket = outcome.opened;
    socket.send('hello');
    const received = nextMessage(socket);
    fx.app.events.emit('fleet:changed', { entity: 'zones' });
    expect(await received).toEqual({ event: 'fleet:changed', payload: { entity: 'zones' } });
    const code = closed(socket);
    for (let i = 0; i < 10; i += 1) socket.send('x'.repeat(200));
    expect(await code).toBe(1008);
  });

  it('closes sockets and stops listening on close()', async () => {
    const other = await startFixture();
    const outcome = await openEvents(other.host.port, bearer(other.host.token));
    if (!('opened' in outcome)) throw new Error('socket refused');
    const code = closed(outcome.opened);
    await other.close();
    expect(await code).toBe(1001);
    await expect(send(other.host.port, { path: '/api/health' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => !entry.internal && !entry.address.startsWith('fe80:'))
    .map((entry) => entry.address);
}

function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
