import { describe, expect, it } from 'vitest';
import { createTestAccounts } from '../../../test/helpers/team-accounts';
import { ABSOLUTE_MS, IDLE_MS, createTeamSessions, sessionCookieOf, sessionSetCookie } from './team-sessions';

function setup() {
  let now = 1_767_225_600_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const accounts = createTestAccounts(clock.now);
  accounts.add('ana', 'operator', 'correct horse battery');
  accounts.add('bo', 'viewer', 'correct horse battery');
  const sessions = createTeamSessions(accounts, clock.now);
  const open = (name: string) => sessions.open(accounts.find(name)!, '192.0.2.7');
  return { clock, accounts, sessions, open };
}

describe('team sessions', () => {
  it('ends a session idle for 30 minutes, and keeps one that is used', () => {
    const { clock, sessions, open } = setup();
    const used = open('ana');
    const idle = open('ana');
    clock.advance(IDLE_MS - 1000);
    expect(sessions.check(used).ok).toBe(true);
    clock.advance(2000);
    expect(sessions.check(used).ok).toBe(true);
    expect(sessions.check(idle)).toEqual({ ok: false, reason: 'idle' });
    // Once refused, the session is gone for good: using it again is not "idle" but unknown.
    expect(sessions.check(idle)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('ends any session after 12 hours however much it is used', () => {
    const { clock, sessions, open } = setup();
    const cookie = open('ana');
    for (let t = 0; t < ABSOLUTE_MS - 10 * 60_000; t += 10 * 60_000) {
      clock.advance(10 * 60_000);
      expect(sessions.check(cookie).ok).toBe(true);
    }
    clock.advance(10 * 60_000);
    expect(sessions.check(cookie)).toEqual({ ok: false, reason: 'expired' });
  });

  it("keeps a viewer's session alive while its page says it is shown, until the pings stop", () => {
    const { clock, sessions, open } = setup();
    const wall = open('bo');
    // Eight hours of a wall display on show: no call, no page load, one "shown" a minute.
    for (let t = 0; t < 8 * 3_600_000; t += 60_000) {
      clock.advance(60_000);
      expect(sessions.shown(wall)).toBe(true);
    }
    expect(sessions.check(wall, false).ok).toBe(true);
    // The page hidden (no more pings): the usual idle expiry, counted from the last one.
    clock.advance(IDLE_MS - 1000);
    expect(sessions.check(wall, false).ok).toBe(true);
    clock.advance(1000);
    expect(sessions.check(wall, false)).toEqual({ ok: false, reason: 'idle' });
    expect(sessions.shown(wall)).toBe(false);
  });

  it('still ends a shown session at the 12-hour limit, and on an account change', () => {
    const { clock, accounts, sessions, open } = setup();
    const wall = open('bo');
    for (let t = 0; t < ABSOLUTE_MS - 60_000; t += 60_000) {
      clock.advance(60_000);
      expect(sessions.shown(wall)).toBe(true);
    }
    clock.advance(60_000);
    expect(sessions.shown(wall)).toBe(false);
    expect(sessions.check(wall)).toEqual({ ok: false, reason: 'unknown' });

    const other = open('bo');
    accounts.disable('bo');
    expect(sessions.shown(other)).toBe(false);
    expect(sessions.check(other)).toEqual({ ok: false, reason: 'unknown' });
  });

  it("does not keep an operator's session alive on being shown: a desk left open still signs out", () => {
    const { clock, sessions, open } = setup();
    const desk = open('ana');
    clock.advance(IDLE_MS / 2);
    expect(sessions.shown(desk)).toBe(false);
    clock.advance(IDLE_MS / 2);
    expect(sessions.check(desk)).toEqual({ ok: false, reason: 'idle' });
    expect(sessions.shown('not-a-session')).toBe(false);
  });

  it('voids sessions when the account is disabled or its role changes', () => {
    const { accounts, sessions, open } = setup();
    const ana = open('ana');
    const bo = open('bo');
    accounts.setRole('ana', 'admin');
    expect(sessions.check(ana)).toEqual({ ok: false, reason: 'account-changed' });
    accounts.disable('bo');
    expect(sessions.check(bo)).toEqual({ ok: false, reason: 'account-disabled' });
  });

  it('signs out one session, or every session of an account, leaving others alone', () => {
    const { sessions, open } = setup();
    const [a1, a2, a3, b1] = [open('ana'), open('ana'), open('ana'), open('bo')];
    expect(sessions.close(a1)?.account).toBe('ana');
    expect(sessions.check(a1)).toEqual({ ok: false, reason: 'unknown' });
    expect(sessions.check(a2).ok).toBe(true);
    expect(sessions.closeAll('ana')).toBe(2);
    expect(sessions.check(a2).ok).toBe(false);
    expect(sessions.check(a3).ok).toBe(false);
    expect(sessions.check(b1).ok).toBe(true);
  });

  it('refuses malformed and forged cookies without a lookup', () => {
    const { sessions } = setup();
    expect(sessions.check(undefined)).toEqual({ ok: false, reason: 'none' });
    expect(sessions.check('x'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
    expect(sessions.check('"; Path=/')).toEqual({ ok: false, reason: 'none' });
  });

  it('sets a __Host- cookie that is HttpOnly, Secure, SameSite=Strict on / and reads it back', () => {
    const header = sessionSetCookie('abc');
    expect(header).toMatch(/^__Host-switchyard_session=abc; /);
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(header.split('; ')).toContain(flag);
    expect(header).not.toMatch(/Domain=/i);
    expect(sessionCookieOf('a=1; __Host-switchyard_session=xyz; b=2')).toBe('xyz');
    expect(sessionCookieOf('a=1')).toBeUndefined();
  });
});
