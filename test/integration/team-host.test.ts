import { Agent } from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTeamConfig, TeamConfigError } from '../../src/host/web/team-config';
import { startTeamHost } from '../../src/host/web/team-server';
import { SHOWN_MESSAGE } from '../../src/contract/events-shown';
import { IDLE_MS, sessionCookieOf } from '../../src/host/web/team-sessions';
import { WINDOW_MS } from '../../src/host/web/team-throttle';
import { createFakeHost } from '../helpers/fake-host';
import { createTestAccounts, recordingAudit } from '../helpers/team-accounts';
import { PASSWORD, signIn, signInRequest, startTeamFixture, teamCall, teamEvents, teamSend, type TeamFixture } from '../helpers/team-host';
import { until } from '../helpers/until';
import { closed } from '../helpers/web-client';

// The team host end to end over real TLS on loopback: sign-in, sessions, and every refusal the
// issue lists, each with its message, its audit line, and nothing reaching dispatch.

let team: TeamFixture;

beforeAll(async () => {
  team = await startTeamFixture();
});
afterAll(async () => {
  await team.close();
});

/** A fresh throttle window, so one section's failures do not hold up the next. */
const nextMinute = () => team.clock.advance(WINDOW_MS + 1);
const auditKinds = () => team.audit.entries.map((entry) => entry.kind);

describe('team host', () => {
  it('refuses to start with no active account, saying how to make one', async () => {
    const accounts = createTestAccounts();
    accounts.add('gone', 'admin', PASSWORD);
    accounts.disable('gone');
    const config = resolveTeamConfig({ listen: '127.0.0.1:0' }, team.dir)!;
    const start = startTeamHost({ app: createFakeHost(), config, accounts, audit: recordingAudit(), staticDir: team.dir });
    await expect(start).rejects.toThrow(TeamConfigError);
    await expect(start).rejects.toThrow(/at least one active account.*switchyard user add NAME --role admin/);
  });

  it('answers plain http on the TLS port with a 400 that says to use https://', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(team.port, '127.0.0.1');
      let got = '';
      socket.on('data', (chunk) => (got += chunk.toString()));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
      socket.write(`GET / HTTP/1.1\r\nHost: noc.test:${team.port}\r\n\r\n`);
    });
    expect(text).toMatch(/^HTTP\/1.1 400 /);
    expect(text).toContain(`https://noc.test:${team.port}/`);
  });

  it('refuses a Host header for another name, logged and audited', async () => {
    const reply = await teamSend(team, { path: '/', headers: { host: `rebound.evil.example:${team.port}` } });
    expect(reply.status).toBe(421);
    expect(reply.body).toContain('does not answer to the name "rebound.evil.example"');
    expect(team.logged.join('\n')).toContain('rebound.evil.example');
    expect(team.audit.entries.at(-1)).toMatchObject({ kind: 'refused', address: '127.0.0.1' });
  });

  it('serves the sign-in page, not the console, and refuses calls without a session', async () => {
    const page = await teamSend(team, { path: '/fleet' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/api/sign-in"');
    expect(page.body).not.toContain('SWITCHYARD-CONSOLE');
    expect(page.headers['strict-transport-security']).toMatch(/max-age=/);
    const call = await teamCall(team, '', 'fleet:list-servers');
    expect(call.status).toBe(401);
    expect(JSON.parse(call.body).error.message).toMatch(/sign in first/);
  });

  it('refuses a wrong password, an unknown account and a disabled one, each audited with the name and address', async () => {
    nextMinute();
    const wrong = await teamSend(team, signInRequest('ana', 'not the password at all'));
    const unknown = await teamSend(team, signInRequest('nobody', PASSWORD));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    // The same words for both: the answer does not tell which names exist.
    expect(JSON.parse(wrong.body).error.message).toBe('Wrong account name or password.');
    expect(JSON.parse(unknown.body).error.message).toBe('Wrong account name or password.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    team.accounts.add('gone', 'operator', PASSWORD);
    team.accounts.disable('gone');
    const disabled = await teamSend(team, signInRequest('gone', PASSWORD));
    expect(disabled.status).toBe(403);
    expect(JSON.parse(disabled.body).error.message).toMatch(/gone is disabled/);
    const failed = team.audit.entries.filter((entry) => entry.kind === 'sign-in-failed').slice(-3);
    expect(failed.map((entry) => [entry.account, entry.address, entry.detail])).toEqual([
      ['ana', '127.0.0.1', 'Wrong password'],
      ['nobody', '127.0.0.1', 'No such account'],
      ['gone', '127.0.0.1', 'Account disabled'],
    ]);
  });

  it('signs in with a __Host- cookie and runs calls as that account, with its address', async () => {
    nextMinute();
    const reply = await teamSend(team, signInRequest('ana', PASSWORD));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, data: { account: 'ana', role: 'operator' } });
    const setCookie = String(reply.headers['set-cookie']?.[0]);
    expect(setCookie).toMatch(/^__Host-switchyard_session=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\//);
    const cookie = setCookie.split(';')[0]!;
    const call = await teamCall(team, cookie, 'fleet:list-servers', {}, { origin: `https://noc.test:${team.port}` });
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body).ok).toBe(true);
    expect(team.callers.at(-1)).toEqual({ account: 'ana', role: 'operator', address: '127.0.0.1' });
    expect(team.audit.entries.at(-1)).toMatchObject({ kind: 'sign-in', account: 'ana', address: '127.0.0.1' });
    const page = await teamSend(team, { path: '/', headers: { cookie } });
    expect(page.body).toContain('SWITCHYARD-CONSOLE');
  });

  it('a form sign-in from the page redirects to where the user was going', async () => {
    nextMinute();
    const reply = await teamSend(team, {
      method: 'POST',
      path: '/api/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `https://noc.test:${team.port}` },
      body: new URLSearchParams({ name: 'vic', password: PASSWORD, next: '/servers/srv-1' }).toString(),
    });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/servers/srv-1');
    const offsite = await teamSend(team, {
      method: 'POST',
      path: '/api/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'vic', password: PASSWORD, next: '//evil.example/' }).toString(),
    });
    expect(offsite.headers.location).toBe('/');
  });

  it('refuses a call from another site (CSRF) before dispatch, and audits it', async () => {
    nextMinute();
    const cookie = await signIn(team, 'root');
    const before = team.app.handled.length;
    const forged = await teamCall(team, cookie, 'fleet:delete-server', { id: 'srv-1' }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).error.message).toMatch(/another site/);
    const crossSite = await teamCall(team, cookie, 'fleet:delete-server', { id: 'srv-1' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(team.app.handled.length).toBe(before);
    expect(team.audit.entries.at(-1)).toMatchObject({ kind: 'refused', detail: expect.stringContaining('/api/call') });
  });

  it('the event socket needs a session and our origin, and closes on sign-out; the cookie replayed after is refused', async () => {
    nextMinute();
    const cookie = await signIn(team, 'ana');
    expect(await teamEvents(team, {})).toEqual({ refused: 401 });
    expect(await teamEvents(team, { cookie, origin: 'https://evil.example' })).toEqual({ refused: 403 });
    const outcome = await teamEvents(team, { cookie, origin: `https://noc.test:${team.port}` });
    if (!('opened' in outcome)) throw new Error(`socket refused: ${outcome.refused}`);
    const heard = new Promise((resolve) => outcome.opened.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
    team.app.events.emit('fleet:changed', { entity: 'servers' });
    expect(await heard).toMatchObject({ event: 'fleet:changed' });
    const ended = closed(outcome.opened);
    const out = await teamSend(team, {
      method: 'POST',
      path: '/api/sign-out',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
    expect(await ended).toBe(1008);
    const replay = await teamCall(team, cookie, 'fleet:list-servers');
    expect(replay.status).toBe(401);
    expect(await teamEvents(team, { cookie })).toEqual({ refused: 401 });
    expect(auditKinds()).toContain('sign-out');
  });

  it('sign out everywhere ends every session of the account and no other', async () => {
    nextMinute();
    team.accounts.add('sam', 'operator', PASSWORD);
    const [laptop, desk, other] = [await signIn(team, 'sam'), await signIn(team, 'sam'), await signIn(team, 'vic')];
    const reply = await teamSend(team, {
      method: 'POST',
      path: '/api/sign-out-everywhere',
      headers: { cookie: desk, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    expect((await teamCall(team, laptop, 'fleet:list-servers')).status).toBe(401);
    expect((await teamCall(team, desk, 'fleet:list-servers')).status).toBe(401);
    expect((await teamCall(team, other, 'fleet:list-servers')).status).toBe(200);
    expect(team.audit.entries.at(-1)).toMatchObject({
      kind: 'sign-out-everywhere',
      account: 'sam',
      detail: expect.stringContaining('2 sessions'),
    });
  });

  it('an idle session expires, and a role change voids the session', async () => {
    nextMinute();
    const cookie = await signIn(team, 'vic');
    team.clock.advance(IDLE_MS + 1);
    const idle = await teamCall(team, cookie, 'fleet:list-servers');
    expect(idle.status).toBe(401);
    expect(JSON.parse(idle.body).error.message).toMatch(/30 minutes without use/);
    const again = await signIn(team, 'vic');
    team.accounts.setRole('vic', 'operator');
    const changed = await teamCall(team, again, 'fleet:list-servers');
    expect(JSON.parse(changed.body).error.message).toMatch(/account was changed/);
  });

  it("a viewer's page on show keeps its session past 30 minutes through the event socket; an operator's does not", async () => {
    nextMinute();
    const origin = `https://noc.test:${team.port}`;
    const open = async (cookie: string) => {
      const outcome = await teamEvents(team, { cookie, origin });
      if (!('opened' in outcome)) throw new Error(`socket refused: ${outcome.refused}`);
      return outcome.opened;
    };
    team.accounts.add('wall', 'viewer', PASSWORD);
    const wall = await signIn(team, 'wall');
    const wallSocket = await open(wall);
    team.clock.advance(IDLE_MS - 60_000);
    wallSocket.send(SHOWN_MESSAGE);
    const heardAt = team.clock.now();
    await until('the shown message to count as use', () => {
      const check = team.host.sessions.check(sessionCookieOf(wall), false);
      return check.ok && check.session.lastSeen === heardAt;
    });
    // 58 minutes after sign-in with no call in between: still signed in.
    team.clock.advance(IDLE_MS - 2 * 60_000);
    expect((await teamCall(team, wall, 'fleet:list-servers')).status).toBe(200);
    // The socket's allowance is one "shown" per 20 s: a flood of them is misuse, and closes it.
    const flooded = closed(wallSocket);
    for (let i = 0; i < 300; i += 1) wallSocket.send(SHOWN_MESSAGE);
    expect(await flooded).toBe(1008);

    const desk = await signIn(team, 'ana');
    const deskSocket = await open(desk);
    team.clock.advance(IDLE_MS - 60_000);
    const deskClosed = closed(deskSocket);
    deskSocket.send(SHOWN_MESSAGE);
    // Messages on a socket are read in order: once the junk after it closes the socket, the "shown" was heard.
    deskSocket.send('x'.repeat(600));
    deskSocket.send('x'.repeat(600));
    expect(await deskClosed).toBe(1008);
    team.clock.advance(2 * 60_000);
    const idle = await teamCall(team, desk, 'fleet:list-servers');
    expect(idle.status).toBe(401);
    expect(JSON.parse(idle.body).error.message).toMatch(/30 minutes without use/);
  });

  it('throttles 1,000 guesses in a loop, saying how long to wait, while another client is still answered promptly', async () => {
    nextMinute();
    const bystander = await signIn(team, 'root');
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let throttled = 0;
    let lastRefusal = { status: 0, retryAfter: '', message: '' };
    const started = Date.now();
    const guesses = (async () => {
      for (let i = 0; i < 1000; i++) {
        const reply = await teamSend(team, { ...signInRequest('ana', `guess-${i}`), agent });
        if (reply.status === 429) {
          throttled += 1;
          lastRefusal = {
            status: reply.status,
            retryAfter: String(reply.headers['retry-after']),
            message: JSON.parse(reply.body).error.message,
          };
        }
      }
    })();
    // Meanwhile a signed-in colleague's calls keep being answered.
    const slowest = await (async () => {
      let worst = 0;
      for (let i = 0; i < 20; i++) {
        const t = Date.now();
        expect((await teamCall(team, bystander, 'fleet:list-servers')).status).toBe(200);
        worst = Math.max(worst, Date.now() - t);
      }
      return worst;
    })();
    await guesses;
    agent.destroy();
    expect(throttled).toBe(995);
    expect(lastRefusal.message).toMatch(/^Too many failed sign-ins for this (account|address): try again in (\d+ s|1 min)\.$/);
    expect(Number(lastRefusal.retryAfter)).toBeGreaterThan(0);
    // Loose bound for a loaded machine: a hash-starved host would take seconds per call.
    expect(slowest).toBeLessThan(2000);
    // The loop is logged a few times, not a thousand.
    expect(team.audit.entries.filter((entry) => entry.detail.startsWith('Throttled')).length).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(25_000);
    // Even the right password waits out the throttle: the answer is the same 429.
    expect((await teamSend(team, signInRequest('ana', PASSWORD))).status).toBe(429);
  });
});
