import { DomainError } from '../../domain/errors';
import { SshError, type SshErrorCode } from '../ssh/ssh-error';
import { mapLimited } from '../shared/map-limited';
import { errorMessage } from '../../domain/error-message';

// Registration counts for the keepalive overhead, read from every server at once. A server whose
// count cannot be read keeps the typed figure in the report, and the operator is told why: the
// server is unreachable, Switchyard has no SSH access to it, or the command's answer was unusable.

export type UnreadWhy = 'unreachable' | 'no-ssh-access' | 'unreadable';

export interface CountReadings {
  counts: Map<string, number>;
  unread: Map<string, { why: UnreadWhy; message: string }>;
}

/** Servers read at the same time; the rest wait their turn. */
const CONCURRENCY = 8;

const NO_ACCESS: readonly SshErrorCode[] = ['auth-failed', 'not-configured', 'host-key-changed', 'host-key-revoked', 'host-key-refused'];

export function classifyUnread(err: unknown): { why: UnreadWhy; message: string } {
  if (err instanceof SshError) {
    if (NO_ACCESS.includes(err.code)) return { why: 'no-ssh-access', message: err.message };
    return { why: 'unreachable', message: err.message };
  }
  if (err instanceof DomainError) return { why: 'unreadable', message: err.message };
  return { why: 'unreadable', message: errorMessage(err) };
}

/** One server's last read, kept whether it succeeded or failed, with when it was made. */
export interface CountReading {
  at: number;
  count: number | null;
  unread: { why: UnreadWhy; message: string } | null;
}

export async function readRegistrationCounts(
  serverIds: readonly string[],
  count: (serverId: string) => Promise<number>,
  onDone?: (done: number, total: number) => void,
): Promise<CountReadings> {
  const counts = new Map<string, number>();
  const unread = new Map<string, { why: UnreadWhy; message: string }>();
  await mapLimited(serverIds, CONCURRENCY, async (id) => {
    try {
      counts.set(id, await count(id));
    } catch (err) {
      unread.set(id, classifyUnread(err));
    }
    onDone?.(counts.size + unread.size, serverIds.length);
  });
  return { counts, unread };
}
