import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBody, FIRST_CALLS, FIRST_SCREEN_ELEMENT_ID, readWrittenAnswer } from '../../src/contract/first-screen';
import { signIn, startTeamFixture, teamCall, teamSend, type TeamFixture } from '../helpers/team-host';

// On a team host the console's page carries its first screen's answers for a live session only,
// read as that session's account (its role checked in dispatch, as for its calls); the sign-in
// page a request without one gets holds none, and neither does a page after sign-out.

let team: TeamFixture;
beforeAll(async () => {
  team = await startTeamFixture();
});
afterAll(() => team.close());

function answersIn(html: string): Record<string, unknown> | null {
  const match = new RegExp(`<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">(.*?)</script>`, 's').exec(html);
  if (match === null) return null;
  const written = JSON.parse(match[1] ?? '') as Record<string, unknown>;
  return Object.fromEntries(Object.entries(written).map(([body, answer]) => [body, readWrittenAnswer(answer)]));
}

describe('the team host’s page', () => {
  it('carries the answers for a signed-in session, asked as its account, the same as its calls get', async () => {
    const cookie = await signIn(team, 'vic');
    team.callers.length = 0;
    const page = await teamSend(team, { path: '/', headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const answers = answersIn(page.body);
    expect(Object.keys(answers ?? {}).sort()).toEqual(FIRST_CALLS.map(({ method, input }) => callBody(method, input)).sort());
    expect(team.callers.length).toBe(FIRST_CALLS.length);
    expect(team.callers.every((c) => c.account === 'vic' && c.role === 'viewer')).toBe(true);
    const rows = JSON.parse((await teamCall(team, cookie, 'fleet:list-rows')).body) as unknown;
    expect(answers?.[callBody('fleet:list-rows', {})]).toEqual(rows);
  });

  it('carries none without a session, with a made-up one, or after sign-out', async () => {
    const cookie = await signIn(team, 'ana');
    const name = cookie.split('=')[0] ?? '';
    const attempts: Record<string, string>[] = [{}, { cookie: `${name}=${'a'.repeat(43)}` }];
    for (const headers of attempts) {
      const page = await teamSend(team, { path: '/', headers });
      expect(page.body).not.toContain(FIRST_SCREEN_ELEMENT_ID);
    }
    const out = await teamSend(team, {
      method: 'POST',
      path: '/api/sign-out',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    const after = await teamSend(team, { path: '/', headers: { cookie } });
    expect(after.status).toBe(200);
    expect(after.body).not.toContain(FIRST_SCREEN_ELEMENT_ID);
  });
});
