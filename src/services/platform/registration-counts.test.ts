import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors';
import { SshError } from '../ssh/ssh-error';
import { readRegistrationCounts } from './registration-counts';

// The reasons a count is not read, as the keepalive view names them; the SSH paths themselves are
// exercised against the real sshd in test/integration/platform-keepalive-ssh.test.ts.

describe('reading registration counts from every server', () => {
  it('keeps each count it can read and names why the others could not be', async () => {
    const failures: Record<string, Error> = {
      refused: new SshError('connect-failed', 'refused the connection'),
      slow: new SshError('connect-timeout', 'did not answer'),
      denied: new SshError('auth-failed', 'key refused'),
      unknownKey: new SshError('host-key-refused', 'host key not accepted'),
      badOutput: new DomainError('internal', 'The output cannot be read'),
    };
    const ids = ['ok', ...Object.keys(failures)];
    const { counts, unread } = await readRegistrationCounts(ids, async (id) => {
      const failure = failures[id];
      if (failure) throw failure;
      return 42;
    });
    expect([...counts]).toEqual([['ok', 42]]);
    expect(Object.fromEntries([...unread].map(([id, u]) => [id, u.why]))).toEqual({
      refused: 'unreachable',
      slow: 'unreachable',
      denied: 'no-ssh-access',
      unknownKey: 'no-ssh-access',
      badOutput: 'unreadable',
    });
    expect(unread.get('badOutput')?.message).toBe('The output cannot be read');
  });

  it('reads at most eight servers at once', async () => {
    let running = 0;
    let peak = 0;
    const ids = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const { counts } = await readRegistrationCounts(ids, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return 1;
    });
    expect(counts.size).toBe(30);
    expect(peak).toBe(8);
  });
});
