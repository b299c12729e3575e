import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageTickets, TICKET_TTL_MS } from '../../src/host/web/page-session';
import { bearer, send, startFixture, type Fixture } from '../helpers/web-client';

// How a browser page gets the token without a cookie credential (issue 16 item 6): the printed
// URL leaves a single-use, 30-second ticket scoped to /api/session; the page spends it for the
// token, which it then sends as a Bearer header.

let fx: Fixture;
let port: number;
let token: string;

beforeAll(async () => {
  fx = await startFixture();
  ({ port, token } = fx.host);
});
afterAll(() => fx.close());

async function ticketCookie(): Promise<{ pair: string; attributes: string }> {
  const reply = await send(port, { path: `/?token=${token}` });
  expect(reply.status).toBe(303);
  const cookie = reply.headers['set-cookie']?.[0] ?? '';
  return { pair: cookie.split(';')[0] ?? '', attributes: cookie };
}

const session = (headers: Record<string, string>, method = 'POST') => send(port, { method, path: '/api/session', headers });

describe('page session ticket', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /api/session, short-lived and not the token', async () => {
    const { pair, attributes } = await ticketCookie();
    expect(pair).toMatch(new RegExp(`^switchyard_ticket_${port}=[0-9a-f]{64}$`));
    expect(pair).not.toContain(token);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/api/session');
    expect(attributes).toContain('Max-Age=30');
  });

  it('is no credential itself: the API and the events socket refuse it', async () => {
    const { pair } = await ticketCookie();
    expect((await send(port, { path: '/api/health', headers: { cookie: pair } })).status).toBe(401);
  });

  it('is spent once for the token, then refused, and the cookie is cleared', async () => {
    const { pair } = await ticketCookie();
    const first = await session({ cookie: pair, origin: `http://127.0.0.1:${port}` });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true, data: { token } });
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
    expect((await send(port, { path: '/api/health', headers: bearer(JSON.parse(first.body).data.token) })).status).toBe(200);

    const again = await session({ cookie: pair });
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: expect.stringContaining('switchyard serve') },
    });
  });

  it('refuses no ticket, a made-up ticket, a ticket of another port, GET, and a foreign Origin', async () => {
    expect((await session({})).status).toBe(401);
    expect((await session({ cookie: `switchyard_ticket_${port}=${'a'.repeat(64)}` })).status).toBe(401);
    const { pair } = await ticketCookie();
    const value = pair.split('=')[1] ?? '';
    expect((await session({ cookie: `switchyard_ticket_${port + 1}=${value}` })).status).toBe(401);
    expect((await session({ cookie: pair }, 'GET')).status).toBe(405);
    // A page on another local port is same-site (the cookie goes along) but not same-origin.
    const foreign = await session({ cookie: pair, origin: `http://127.0.0.1:${port + 1}` });
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain(token);
    // The refused attempts did not spend it: our own page still can.
    expect((await session({ cookie: pair })).status).toBe(200);
  });

  it('expires after its time even if never spent, and keeps at most 32 outstanding', () => {
    let now = 1_000;
    const tickets = createPageTickets(() => now);
    const stale = tickets.issue(8080).ticket;
    now += TICKET_TTL_MS + 1;
    expect(tickets.redeem(stale)).toBe(false);
    const first = tickets.issue(8080).ticket;
    const rest = Array.from({ length: 32 }, () => tickets.issue(8080).ticket);
    expect(tickets.redeem(first)).toBe(false);
    expect(rest.every((t) => tickets.redeem(t))).toBe(true);
    expect(tickets.redeem(rest[0])).toBe(false);
    expect(tickets.redeem(undefined)).toBe(false);
  });
});
