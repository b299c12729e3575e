// How each demo server answers, so the demo fleet looks like a real one: most answer at once,
// one is far away, one is overloaded, one is gone, one comes and goes. Pure: the responder asks
// what to do with each request, given the time since it started and a random number.

export type DemoBehaviour = 'fast' | 'slow' | 'error' | 'silent' | 'flapping';

/** The demo fleet's addresses (resources/demo-fleet.json) that do not simply answer fast. */
export const DEMO_BEHAVIOURS: Readonly<Record<string, DemoBehaviour>> = {
  '127.0.20.11': 'slow', // eu-west-sw1: an ocean away, ~150 ms
  '127.0.20.12': 'flapping', // eu-west-sw2: answers a minute, silent half a minute
  '127.0.30.12': 'error', // uk-lon-sw2: overloaded, 503 Service Unavailable
  '127.0.30.22': 'silent', // uk-lon-trial2: SIP gone, the host still pings
};

export function behaviourOf(address: string): DemoBehaviour {
  return DEMO_BEHAVIOURS[address] ?? 'fast';
}

/** A flapping server answers for the first part of each cycle and is silent for the rest. */
export const FLAP_UP_MS = 60_000;
export const FLAP_CYCLE_MS = 90_000;

export interface DemoReply {
  code: number;
  delayMs: number;
}

/**
 * The reply to one request, or null for none. `random` is in [0, 1): fast servers wait 0.3–3 ms
 * (a LAN's jitter), the slow one 140–160 ms.
 */
export function replyOf(behaviour: DemoBehaviour, sinceStartMs: number, random: number): DemoReply | null {
  const fast = 0.3 + random * 2.7;
  switch (behaviour) {
    case 'fast':
      return { code: 200, delayMs: fast };
    case 'slow':
      return { code: 200, delayMs: 140 + random * 20 };
    case 'error':
      return { code: 503, delayMs: fast };
    case 'silent':
      return null;
    case 'flapping':
      return sinceStartMs % FLAP_CYCLE_MS < FLAP_UP_MS ? { code: 200, delayMs: fast } : null;
  }
}
