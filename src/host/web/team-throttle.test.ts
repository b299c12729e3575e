import { describe, expect, it } from 'vitest';
import { createSignInThrottle, waitWords, WINDOW_MS } from './team-throttle';

function setup() {
  let now = 1_000_000;
  const throttle = createSignInThrottle(() => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

function fail(throttle: ReturnType<typeof createSignInThrottle>, account: string, address: string) {
  const admission = throttle.admit(account, address);
  if (admission.ok) admission.done(false);
  return admission;
}

describe('sign-in throttle', () => {
  it('lets five wrong passwords through in a minute and makes the sixth wait, saying how long', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 5; i++) {
      expect(fail(throttle, 'ana', `192.0.2.${i}`).ok).toBe(true);
      advance(1000);
    }
    const sixth = fail(throttle, 'ana', '192.0.2.99');
    expect(sixth).toEqual({ ok: false, by: 'account', retryAfterMs: WINDOW_MS - 5000 });
    advance(WINDOW_MS - 5000);
    expect(fail(throttle, 'ana', '192.0.2.99').ok).toBe(true);
  });

  it('throttles an address that tries many names', () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) expect(fail(throttle, `user${i}`, '198.51.100.1').ok).toBe(true);
    const refused = fail(throttle, 'someone-else', '198.51.100.1');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.by).toBe('address');
    // Another address and another name are not held up by it.
    expect(fail(throttle, 'other', '198.51.100.2').ok).toBe(true);
  });

  it('counts attempts still being checked, so parallel guesses cannot all slip through', () => {
    const { throttle } = setup();
    const admitted = Array.from({ length: 1000 }, () => throttle.admit('ana', '203.0.113.5')).filter((a) => a.ok);
    expect(admitted).toHaveLength(5);
  });

  it('takes a successful attempt back', () => {
    const { throttle } = setup();
    for (let i = 0; i < 4; i++) fail(throttle, 'ana', '203.0.113.5');
    const good = throttle.admit('ana', '203.0.113.5');
    expect(good.ok).toBe(true);
    if (good.ok) good.done(true);
    expect(fail(throttle, 'ana', '203.0.113.5').ok).toBe(true);
  });

  it('says the wait in words', () => {
    expect(waitWords(400)).toBe('1 s');
    expect(waitWords(42_000)).toBe('42 s');
    expect(waitWords(125_000)).toBe('2 min 5 s');
    expect(waitWords(120_000)).toBe('2 min');
  });
});
