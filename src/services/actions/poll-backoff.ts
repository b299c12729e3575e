import { SshError } from '../ssh/ssh-error';
import type { ExecResult } from '../ssh/exec';
import type { StoredServer } from '../store/servers-repo';

// Load polls back off from a server whose SSH cannot be reached at all (connection refused, no
// route, handshake timeout, authentication or host key refused): the next try waits one interval
// after the first such failure, then two, four … up to a cap (10 minutes by default), instead of
// knocking every 30 s on a port that keeps refusing. At 10,000 servers with no sshd that is 333
// refused connections a second, each a socket, an error and a store read. A poll that gets in
// (whatever the command then says), an edit of the server's address or SSH settings, or a new
// password or passphrase starts the server over at the normal pace.
//
// The poller runs in cycles of one interval; the backoff counts in whole cycles, so a server keeps
// its place in the cycle's spread and nothing here reads a clock. Waits of four cycles and more are
// shortened by up to a quarter at random, so servers that failed together (a whole zone cut off)
// drift apart instead of being retried together in one cycle every 10 minutes.

export const LOAD_BACKOFF_MAX_MS = 10 * 60_000;

/** True when the poll failed before any command ran: the server could not be reached or let in. */
export function unreachable(outcome: { thrown: unknown } | { result: Pick<ExecResult, 'failure'> }): boolean {
  if ('thrown' in outcome) return outcome.thrown instanceof SshError && outcome.thrown.code !== 'cancelled';
  return outcome.result.failure === 'connection-lost';
}

/** Where and how the server is reached over SSH: a change of any of these starts it over. */
export function sshSettingsKey(server: Pick<StoredServer, 'ip' | 'ssh'>): string {
  const { ssh } = server;
  return JSON.stringify([server.ip, ssh.host, ssh.port, ssh.user, ssh.auth, ssh.keyPath, ssh.jumpHost]);
}

interface Streak {
  failures: number;
  /** Cycles still to skip before the next try. */
  skip: number;
  settings: string;
}

export interface PollBackoff {
  /** Asked once per server per cycle: true when the server is polled in this cycle. */
  due(serverId: string, settings: string): boolean;
  /** A poll could not reach the server (see `unreachable`). */
  failed(serverId: string, settings: string): void;
  /** A poll reached the server, or the operator changed how it is reached: back to the normal pace. */
  reset(serverId: string): void;
  /** Failures in a row and the cycles still skipped before the next try; null when the server is polled normally. */
  state(serverId: string): { failures: number; skipCycles: number } | null;
  /** Forgets servers no longer in the fleet. */
  keepOnly(serverIds: ReadonlySet<string>): void;
  clear(): void;
}

export interface PollBackoffOptions {
  intervalMs: number;
  /** The longest wait between tries; 10 minutes by default. */
  maxMs?: number;
  /** In [0, 1): the jitter's draw; Math.random by default. */
  random?: () => number;
}

export function createPollBackoff(options: PollBackoffOptions): PollBackoff {
  const maxCycles = Math.max(1, Math.floor((options.maxMs ?? LOAD_BACKOFF_MAX_MS) / options.intervalMs));
  const random = options.random ?? Math.random;
  const streaks = new Map<string, Streak>();
  /** Cycles from one try to the next after `failures` in a row: 1, 2, 4 … up to the cap. */
  const spacing = (failures: number) => Math.min(maxCycles, 2 ** Math.min(30, failures - 1));
  /** The spacing less up to a quarter of it (none below four cycles). */
  const jittered = (cycles: number) => cycles - Math.floor(random() * (Math.floor(cycles / 4) + 1));
  return {
    due(serverId, settings) {
      const streak = streaks.get(serverId);
      if (!streak) return true;
      if (streak.settings !== settings) {
        streaks.delete(serverId);
        return true;
      }
      if (streak.skip === 0) return true;
      streak.skip -= 1;
      return false;
    },
    failed(serverId, settings) {
      const before = streaks.get(serverId);
      const failures = before?.settings === settings ? before.failures + 1 : 1;
      streaks.set(serverId, { failures, skip: jittered(spacing(failures)) - 1, settings });
    },
    reset(serverId) {
      streaks.delete(serverId);
    },
    state(serverId) {
      const streak = streaks.get(serverId);
      return streak ? { failures: streak.failures, skipCycles: streak.skip } : null;
    },
    keepOnly(serverIds) {
      for (const id of streaks.keys()) if (!serverIds.has(id)) streaks.delete(id);
    },
    clear() {
      streaks.clear();
    },
  };
}
