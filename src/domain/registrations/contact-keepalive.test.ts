import { describe, expect, it } from 'vitest';
import { contactKeepalive, keepaliveHealth, lastRound } from './contact-keepalive';

const c = (lastKeepalive: number | null, kaRoundtripUs: number | null) => ({ lastKeepalive, kaRoundtripUs });

describe('contact keepalive', () => {
  it('takes the newest answered keepalive as the last round, ignoring contacts that never answered', () => {
    expect(lastRound([c(100, 500), c(130, 0), c(120, 700)])).toBe(120);
    expect(lastRound([c(130, 0), c(null, null)])).toBeNull();
  });

  it('judges each contact against the round: answering, silent with how long, not pinged yet, unknown', () => {
    expect(contactKeepalive(c(119, 650), 120, 121)).toEqual({
      state: 'answering',
      roundtripMs: 0.65,
      lastAnswerAt: 119_000,
      silentForSec: null,
    });
    // Missed rounds the others answered: its NAT mapping or the phone is gone.
    expect(contactKeepalive(c(60, 400), 120, 125)).toEqual({ state: 'silent', roundtripMs: 0.4, lastAnswerAt: 60_000, silentForSec: 65 });
    // Never answered since its REGISTER, long before the round.
    expect(contactKeepalive(c(90, 0), 120, null)).toMatchObject({ state: 'silent', roundtripMs: null, silentForSec: 30 });
    // Registered after the round: not pinged yet, not silent.
    expect(contactKeepalive(c(121, 0), 120, 121)).toMatchObject({ state: 'not-yet', roundtripMs: null });
    // No answer from anyone: keepalive off, or everyone gone; either way nothing to judge.
    expect(contactKeepalive(c(90, 0), null, 121)).toMatchObject({ state: 'unknown' });
  });

  it('allows a round to spread over two seconds, and no more', () => {
    expect(contactKeepalive(c(118, 300), 120, 120).state).toBe('answering');
    expect(contactKeepalive(c(117, 300), 120, 120).state).toBe('silent');
  });

  it('sums up the server in words', () => {
    const states = [contactKeepalive(c(120, 500), 120, 123), contactKeepalive(c(60, 500), 120, 123), contactKeepalive(c(122, 0), 120, 123)];
    const health = keepaliveHealth(states, 120, 123);
    expect(health).toMatchObject({ observed: true, lastRoundAt: 120_000, answering: 1, silent: 1, notYet: 1 });
    expect(health.summary).toBe(
      '1 contact answered the last keepalive round (3 s ago, server clock); 1 contact stopped answering: NAT may have closed the mapping, or the phone went away without unregistering; 1 contact registered since and not pinged yet.',
    );
    expect(keepaliveHealth([contactKeepalive(c(90, 0), null, 100)], null, 100)).toMatchObject({
      observed: false,
      summary: expect.stringContaining('ka_mode 0'),
    });
    expect(keepaliveHealth([], null, null).summary).toBe('No contacts registered, so no keepalives to judge.');
  });
});
