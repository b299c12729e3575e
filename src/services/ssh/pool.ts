import type { SshConnection } from './connect';
import { exec, type ExecOptions, type ExecResult } from './exec';
import { SshError } from './ssh-error';
import type { SshTarget } from './ssh-target';

// One connection per target, shared by every action and load poll aimed at it (SSH multiplexes
// channels, so there is no reason to pay a handshake per command). At most `max` connections are
// open; an idle one is closed after `idleMs`, or sooner when another target needs the slot.

export interface SshPoolOptions {
  max?: number;
  idleMs?: number;
  /** Opens a connection: `connect` with the app's host keys, secrets and config. */
  open(target: SshTarget): Promise<SshConnection>;
  /** Which targets share a connection; the target id by default. */
  keyOf?(target: SshTarget): string;
}

export interface PooledConnection {
  readonly connection: SshConnection;
  /** Hand the connection back; it stays open for the next user until idle. */
  release(): void;
}

export interface SshPool {
  acquire(target: SshTarget, signal?: AbortSignal): Promise<PooledConnection>;
  /** acquire, exec, release. */
  exec(target: SshTarget, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Open connections (including ones still connecting). */
  size(): number;
  closeAll(): void;
}

interface Entry {
  key: string;
  ready: Promise<SshConnection>;
  connection: SshConnection | null;
  users: number;
  idleTimer: NodeJS.Timeout | undefined;
  lastUsed: number;
}

export function createSshPool(options: SshPoolOptions): SshPool {
  const max = options.max ?? 20;
  const idleMs = options.idleMs ?? 60_000;
  const keyOf = options.keyOf ?? ((t: SshTarget) => t.id);
  const entries = new Map<string, Entry>();
  let waiters: (() => void)[] = [];
  let closed = false;

  const wake = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const drop = (entry: Entry): void => {
    clearTimeout(entry.idleTimer);
    if (entries.get(entry.key) === entry) entries.delete(entry.key);
    entry.connection?.close();
    wake();
  };
  const evictIdle = (): boolean => {
    const idle = [...entries.values()].filter((e) => e.users === 0 && e.connection !== null).sort((a, b) => a.lastUsed - b.lastUsed);
    const oldest = idle[0];
    if (!oldest) return false;
    drop(oldest);
    return true;
  };

  const startEntry = (target: SshTarget, key: string): Entry => {
    const entry: Entry = { key, ready: options.open(target), connection: null, users: 0, idleTimer: undefined, lastUsed: Date.now() };
    entries.set(key, entry);
    entry.ready.then(
      (connection) => {
        entry.connection = connection;
        // A connection that dies (server reboot, keepalive timeout) leaves the pool at once,
        // so the next user reconnects instead of failing on a dead one.
        connection.onClose(() => drop(entry));
        if (closed || entries.get(key) !== entry) connection.close();
      },
      () => drop(entry),
    );
    return entry;
  };

  const acquire = async (target: SshTarget, signal?: AbortSignal): Promise<PooledConnection> => {
    const key = keyOf(target);
    for (;;) {
      if (closed) throw new SshError('cancelled', 'The SSH pool is closed.');
      if (signal?.aborted) throw new SshError('cancelled', `Connecting to ${target.host} was cancelled.`);
      let entry = entries.get(key);
      if (!entry && entries.size >= max && !evictIdle()) {
        // Every slot is busy: wait for a release or a close, then look again.
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        continue;
      }
      entry ??= startEntry(target, key);
      entry.users++;
      clearTimeout(entry.idleTimer);
      let connection: SshConnection;
      try {
        connection = await entry.ready;
      } catch (err) {
        entry.users--;
        throw err;
      }
      if (!connection.isOpen()) {
        entry.users--;
        drop(entry);
        continue;
      }
      const held = entry;
      let released = false;
      return {
        connection,
        release() {
          if (released) return;
          released = true;
          held.users--;
          held.lastUsed = Date.now();
          if (held.users === 0 && entries.get(held.key) === held) {
            held.idleTimer = setTimeout(() => drop(held), idleMs);
            held.idleTimer.unref();
          }
          wake();
        },
      };
    }
  };

  return {
    acquire,
    async exec(target, argv, execOptions = {}) {
      const lease = await acquire(target, execOptions.signal);
      try {
        return await exec(lease.connection, argv, execOptions);
      } finally {
        lease.release();
      }
    },
    size: () => entries.size,
    closeAll() {
      closed = true;
      for (const entry of [...entries.values()]) drop(entry);
      wake();
    },
  };
}
