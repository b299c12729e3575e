import { describe, expect, it } from 'vitest';
import { SshError } from '../ssh/ssh-error';
import { createPollBackoff, sshSettingsKey, unreachable } from './poll-backoff';

const INTERVAL = 30_000;
const SSH = { host: null, port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null } as const;
const SETTINGS = sshSettingsKey({ ip: '127.0.0.9', ssh: SSH });

/** Runs `cycles` cycles for one server that fails at every try; returns the cycles in which it was tried. */
function triedCycles(backoff: ReturnType<typeof createPollBackoff>, cycles: number): number[] {
  const tried: number[] = [];
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    if (!backoff.due('s1', SETTINGS)) continue;
    tried.push(cycle);
    backoff.failed('s1', SETTINGS);
  }
  return tried;
}

describe('load poll backoff', () => {
  it('a server that keeps refusing is tried after 1, 2, 4, 8, 16 cycles, then every 20 (10 minutes at 30 s)', () => {
    const backoff = createPollBackoff({ intervalMs: INTERVAL, random: () => 0 });
    const tried = triedCycles(backoff, 120);
    const gaps = tried.slice(1).map((c, i) => c - (tried[i] as number));
    expect(gaps).toEqual([1, 2, 4, 8, 16, 20, 20, 20, 20]);
    expect(backoff.state('s1')).toEqual({ failures: tried.length, skipCycles: 19 - (119 - (tried.at(-1) as number)) });
  });

  it('the cap follows maxMs and the interval', () => {
    const backoff = createPollBackoff({ intervalMs: 1_000, maxMs: 5_000, random: () => 0 });
    const tried = triedCycles(backoff, 30);
    expect(tried.slice(1).map((c, i) => c - (tried[i] as number))).toEqual([1, 2, 4, 5, 5, 5, 5]);
  });

  it('jitter shortens a wait of four cycles or more by at most a quarter, never a shorter one', () => {
    // The largest draw: 1 → 1, 2 → 2, 4 → 3, 8 → 6, 16 → 12, 20 → 15.
    const backoff = createPollBackoff({ intervalMs: INTERVAL, random: () => 0.999 });
    const tried = triedCycles(backoff, 80);
    expect(tried.slice(1).map((c, i) => c - (tried[i] as number))).toEqual([1, 2, 3, 6, 12, 15, 15, 15]);
  });

  it('a poll that gets in, or a reset, brings the server back to every cycle', () => {
    const backoff = createPollBackoff({ intervalMs: INTERVAL, random: () => 0 });
    triedCycles(backoff, 40);
    expect(backoff.due('s1', SETTINGS)).toBe(false);
    backoff.reset('s1');
    expect(backoff.state('s1')).toBeNull();
    expect(backoff.due('s1', SETTINGS)).toBe(true);
    expect(backoff.due('s1', SETTINGS)).toBe(true);
  });

  it('a change of the address or SSH settings starts over: due at once, and the next failure counts as the first', () => {
    const backoff = createPollBackoff({ intervalMs: INTERVAL, random: () => 0 });
    triedCycles(backoff, 40);
    const edited = sshSettingsKey({ ip: '127.0.0.9', ssh: { ...SSH, port: 2222 } });
    expect(edited).not.toBe(SETTINGS);
    for (const other of [
      { ip: '127.0.0.8', ssh: SSH },
      { ip: '127.0.0.9', ssh: { ...SSH, jumpHost: 'bastion' } },
      { ip: '127.0.0.9', ssh: { ...SSH, user: 'noc' } },
    ]) {
      expect(sshSettingsKey(other)).not.toBe(SETTINGS);
    }
    expect(backoff.due('s1', edited)).toBe(true);
    expect(backoff.state('s1')).toBeNull();
    backoff.failed('s1', edited);
    expect(backoff.state('s1')).toEqual({ failures: 1, skipCycles: 0 });
    // A failure reported under other settings than the streak's (an edit during the poll) starts over too.
    backoff.failed('s1', SETTINGS);
    expect(backoff.state('s1')).toEqual({ failures: 1, skipCycles: 0 });
  });

  it('forgets servers no longer in the fleet, and everything on clear', () => {
    const backoff = createPollBackoff({ intervalMs: INTERVAL });
    backoff.failed('s1', SETTINGS);
    backoff.failed('s2', SETTINGS);
    backoff.keepOnly(new Set(['s2']));
    expect(backoff.state('s1')).toBeNull();
    expect(backoff.state('s2')).toEqual({ failures: 1, skipCycles: 0 });
    backoff.clear();
    expect(backoff.state('s2')).toBeNull();
  });
});

describe('which failures back off', () => {
  it('refused, timed out, unauthenticated, host key refused or not configured: the server could not be reached', () => {
    for (const code of [
      'connect-failed',
      'connect-timeout',
      'auth-failed',
      'host-key-refused',
      'host-key-changed',
      'not-configured',
    ] as const) {
      expect(unreachable({ thrown: new SshError(code, 'x') }), code).toBe(true);
    }
    expect(unreachable({ result: { failure: 'connection-lost' } })).toBe(true);
  });

  it('a cancelled poll, a command that ran (any exit) or timed out, or another error does not', () => {
    expect(unreachable({ thrown: new SshError('cancelled', 'x') })).toBe(false);
    expect(unreachable({ thrown: new Error('the recipe book is invalid') })).toBe(false);
    expect(unreachable({ result: { failure: null } })).toBe(false);
    expect(unreachable({ result: { failure: 'timeout' } })).toBe(false);
    expect(unreachable({ result: { failure: 'cancelled' } })).toBe(false);
  });
});
