import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBody, FIRST_CALLS, FIRST_SCREEN_ELEMENT_ID, FIRST_SCREEN_META_NAME, readWrittenAnswer } from '../../src/contract/first-screen';
import { call, INDEX_MARK, send, startFixture, type Fixture } from '../helpers/web-client';

// The page opened from the printed URL carries its first screen's answers (src/host/web/
// first-screen.ts): only the page request that spends the single-use page ticket the redirect
// left, never a page asked for without it, with a ticket that is made up, spent, of the session
// kind or of another port. The answers are the dispatch's, exactly what the calls return.

let fx: Fixture;
let port: number;
let token: string;

beforeAll(async () => {
  fx = await startFixture();
  ({ port, token } = fx.host);
});
afterAll(() => fx.close());

/** The cookies the printed URL's redirect leaves, as `name=value` pairs, by name. */
async function redirectCookies(): Promise<{ page: string; session: string; attributes: string }> {
  const reply = await send(port, { path: `/?token=${token}` });
  expect(reply.status).toBe(303);
  const cookies = reply.headers['set-cookie'] ?? [];
  const find = (name: string) => cookies.find((c) => c.startsWith(`${name}_${port}=`)) ?? '';
  return {
    page: find('switchyard_page').split(';')[0] ?? '',
    session: find('switchyard_ticket').split(';')[0] ?? '',
    attributes: find('switchyard_page'),
  };
}

function answersIn(html: string): Record<string, unknown> | null {
  const match = new RegExp(`<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">(.*?)</script>`, 's').exec(html);
  if (match === null) return null;
  const written = JSON.parse(match[1] ?? '') as Record<string, unknown>;
  return Object.fromEntries(Object.entries(written).map(([body, answer]) => [body, readWrittenAnswer(answer)]));
}

describe('the page opened from the printed URL', () => {
  it('leaves a page ticket: HttpOnly, SameSite=Strict, 30 s, not the token', async () => {
    const { page, attributes } = await redirectCookies();
    expect(page).toMatch(new RegExp(`^switchyard_page_${port}=[0-9a-f]{64}$`));
    expect(page).not.toContain(token);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Max-Age=30');
  });

  it('carries every first call’s answer, the same as the call returns, uncached; the ticket is spent and cleared', async () => {
    const { page } = await redirectCookies();
    const reply = await send(port, { path: '/', headers: { cookie: page } });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(INDEX_MARK);
    expect(reply.body).toContain(`<meta name="${FIRST_SCREEN_META_NAME}" content="inline">`);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['set-cookie']?.[0]).toMatch(new RegExp(`^switchyard_page_${port}=;.*Max-Age=0`));
    const answers = answersIn(reply.body);
    expect(Object.keys(answers ?? {}).sort()).toEqual(FIRST_CALLS.map(({ method, input }) => callBody(method, input)).sort());
    const rows = JSON.parse((await call(port, token, { method: 'fleet:list-rows', input: {} })).body) as unknown;
    expect(answers?.[callBody('fleet:list-rows', {})]).toEqual(rows);
    expect(rows).toMatchObject({ ok: true });

    // Spent: the same cookie again (a reload, or anyone who copied it) gets the page without data.
    const again = await send(port, { path: '/', headers: { cookie: page } });
    expect(again.status).toBe(200);
    expect(answersIn(again.body)).toBeNull();
    expect(again.body).not.toContain(FIRST_SCREEN_META_NAME);
  });

  it('a client-side route spends it as the page does; an asset request does not', async () => {
    const { page } = await redirectCookies();
    const asset = await send(port, { path: '/assets/app.js', headers: { cookie: page } });
    expect(asset.status).toBe(200);
    expect(asset.body).not.toContain(FIRST_SCREEN_ELEMENT_ID);
    expect(answersIn((await send(port, { path: '/fleet', headers: { cookie: page } })).body)).not.toBeNull();
  });
});

describe('a page asked for without the page ticket', () => {
  it('holds no data: no cookie, a made-up ticket, the session ticket, another port’s name, HEAD, or a bearer token alone', async () => {
    const { page, session } = await redirectCookies();
    const value = page.split('=')[1] ?? '';
    const attempts: Record<string, string>[] = [
      {},
      { cookie: `switchyard_page_${port}=${'a'.repeat(64)}` },
      { cookie: session },
      { cookie: `switchyard_page_${port + 1}=${value}` },
      { authorization: `Bearer ${token}` },
    ];
    for (const headers of attempts) {
      const reply = await send(port, { path: '/', headers });
      expect(reply.status, JSON.stringify(headers)).toBe(200);
      expect(reply.body, JSON.stringify(headers)).not.toContain(FIRST_SCREEN_ELEMENT_ID);
    }
    const head = await send(port, { method: 'HEAD', path: '/', headers: { cookie: page } });
    expect(head.body).toBe('');
    // None of those spent it: the page's own request still gets its answers.
    expect(answersIn((await send(port, { path: '/', headers: { cookie: page } })).body)).not.toBeNull();
  });
});
