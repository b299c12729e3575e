import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../src/contract/client';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import {
  createConnectionState,
  createWebTransport,
  type ConnectionStatus,
  type EventSocket,
  type WebTransport,
  type WebTransportOptions,
} from '../../src/ui/lib/transport/web';
import { createFakeHost } from '../helpers/fake-host';
import { startFixture, type Fixture } from '../helpers/web-client';

// The renderer's web transport, run from Node 20 against the real web host: global fetch for
// calls; the `ws` client stands in for the browser's WebSocket (Node 20 has none), carrying the
// token as a header where a browser would send the cookie.

let fx: Fixture;
const opened: WebTransport[] = [];

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());
afterEach(() => {
  for (const transport of opened.splice(0)) transport.close();
});

function nodeOptions(port: number, token: string): WebTransportOptions {
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    fetch: (url, init) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(url, { ...init, headers });
    },
    openSocket: (url) => new WebSocket(url, { headers: { authorization: `Bearer ${token}` } }),
  };
}

function transportFor(options: WebTransportOptions): WebTransport {
  const transport = createWebTransport(options);
  opened.push(transport);
  return transport;
}

describe('calls', () => {
  it('answers contract calls through createClient', async () => {
    const client = createClient(transportFor(nodeOptions(fx.host.port, fx.host.token)));
    expect((await client.call('app:info', {})).name).toBe('Switchyard');
    expect(await client.call('fleet:list-zones', {})).toHaveLength(1);
    const refused = await client.attempt('fleet:create-zone', { name: '', description: '' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'name' } });
  });

  it('passes the host’s refusal through when the token is missing', async () => {
    const transport = transportFor({ ...nodeOptions(fx.host.port, fx.host.token), fetch: (url, init) => fetch(url, init) });
    const result = await transport.invoke('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!result.ok) expect(result.error.message).toContain('switchyard serve');
  });

  it('turns a host that is gone into an internal envelope a person can read', async () => {
    const gone = await startWebHost({ app: createFakeHost(), staticDir: fx.staticDir });
    await gone.close();
    const result = await transportFor(nodeOptions(gone.port, gone.token)).invoke('fleet:list-servers', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!result.ok) expect(result.error.message).toMatch(/^Lost contact with the Switchyard host while calling fleet:list-servers/);
  });

  it('turns a reply that is not JSON, or not an envelope, into an internal envelope', async () => {
    const answers = [
      new Response('<html>Bad gateway</html>', { status: 502 }),
      new Response('{"ok":"maybe"}', { status: 200 }),
      new Response('{"ok":false,"error":{"code":"nonsense","message":"x"}}', { status: 200 }),
    ];
    for (const answer of answers) {
      const transport = transportFor({ baseUrl: 'http://127.0.0.1:1', fetch: () => Promise.resolve(answer) });
      const result = await transport.invoke('app:info', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
      if (!result.ok) expect(result.error.message).toContain('Lost contact with the Switchyard host');
    }
  });

  it('refuses an input that cannot be written as JSON without sending it', async () => {
    const fetchSpy = vi.fn((url: string, init: RequestInit) => fetch(url, init));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const result = await transportFor({ ...nodeOptions(fx.host.port, fx.host.token), fetch: fetchSpy }).invoke('settings:update', cyclic);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('events', () => {
  it('delivers events from the host bus and reports the connection state', async () => {
    const state = createConnectionState();
    const seen: ConnectionStatus[] = [];
    state.subscribe((status) => seen.push(status));
    const client = createClient(transportFor({ ...nodeOptions(fx.host.port, fx.host.token), state }));
    const received: unknown[] = [];
    const off = client.on('fleet:changed', (payload) => received.push(payload));
    await vi.waitFor(() => expect(state.get()).toBe('open'));
    fx.app.events.emit('fleet:changed', { entity: 'rtp' });
    await vi.waitFor(() => expect(received).toEqual([{ entity: 'rtp' }]));
    off();
    const other: unknown[] = [];
    client.on('fleet:changed', (payload) => other.push(payload));
    fx.app.events.emit('fleet:changed', { entity: 'zones' });
    fx.app.events.emit('fleet:changed', { entity: 'all' });
    await vi.waitFor(() => expect(other).toEqual([{ entity: 'zones' }, { entity: 'all' }]));
    expect(received).toEqual([{ entity: 'rtp' }]);
    expect(seen).toEqual(['connecting', 'open']);
  });

  it('reconnects to a restarted host and hears its events again', async () => {
    const app = createFakeHost();
    const first: WebHost = await startWebHost({ app, staticDir: fx.staticDir });
    const { port, token } = first;
    const state = createConnectionState();
    const transport = transportFor({ ...nodeOptions(port, token), state, backoff: { firstMs: 20, maxMs: 100 } });
    const received: unknown[] = [];
    transport.on('fleet:changed', (payload) => received.push(payload));
    await vi.waitFor(() => expect(state.get()).toBe('open'));
    await first.close();
    await vi.waitFor(() => expect(state.get()).not.toBe('open'));
    const second = await startWebHost({ app, staticDir: fx.staticDir, port, token });
    try {
      await vi.waitFor(() => expect(state.get()).toBe('open'), { timeout: 5000 });
      app.events.emit('fleet:changed', { entity: 'servers' });
      await vi.waitFor(() => expect(received).toEqual([{ entity: 'servers' }]));
    } finally {
      await second.close();
    }
  });

  it('backs off 1 s, doubling to 15 s, while the host cannot be reached', async () => {
    vi.useFakeTimers();
    try {
      const attempts: number[] = [];
      const start = Date.now();
      // A socket that fails at once, as a browser's does when nothing listens on the port.
      const failing = (): EventSocket => {
        attempts.push(Date.now() - start);
        const onClose: (() => void)[] = [];
        queueMicrotask(() => onClose.forEach((listener) => listener()));
        return {
          addEventListener(type: string, listener: (() => void) | ((event: { data: unknown }) => void)) {
            if (type === 'close') onClose.push(listener as () => void);
          },
          close: () => undefined,
        };
      };
      const transport = transportFor({ baseUrl: 'http://127.0.0.1:1', openSocket: failing, state: createConnectionState() });
      transport.on('fleet:changed', () => undefined);
      await vi.advanceTimersByTimeAsync(50_000);
      const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? 0));
      expect(gaps).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
    } finally {
      vi.useRealTimers();
    }
  });
});
