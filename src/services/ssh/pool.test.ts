import { describe, expect, it } from 'vitest';
import type { Client } from 'ssh2';
import type { SshConnection } from './connect';
import type { SshError } from './ssh-error';
import { createSshPool } from './pool';
import type { SshTarget } from './ssh-target';

// Fake connections: the pool's bookkeeping (reuse, limit, idle close, dead connections) needs no
// network. The real pool is exercised over sshd in test/integration/ssh-fan-out.test.ts.
function fakeConnection(label: string) {
  let open = true;
  const listeners = new Set<(reason: SshError | null) => void>();
  const conn: SshConnection = {
    label,
    client: {} as Client,
    isOpen: () => open,
    close() {
      if (!open) return;
      open = false;
      for (const l of listeners) l(null);
    },
    onClose(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return conn;
}
const target = (id: string): SshTarget => ({ id, host: id, auth: 'agent' });

describe('createSshPool', () => {
  it('shares one connection per target, even between concurrent acquires', async () => {
    const opened: SshConnection[] = [];
    const pool = createSshPool({ open: async (t) => (opened.push(fakeConnection(t.id)), opened[opened.length - 1] as SshConnection) });
    const [a, b] = await Promise.all([pool.acquire(target('s1')), pool.acquire(target('s1'))]);
    expect(a.connection).toBe(b.connection);
    expect(opened).toHaveLength(1);
    a.release();
    b.release();
    pool.closeAll();
  });

  it('reconnects after a connection dies', async () => {
    const opened: SshConnection[] = [];
    const pool = createSshPool({ open: async (t) => (opened.push(fakeConnection(t.id)), opened[opened.length - 1] as SshConnection) });
    const first = await pool.acquire(target('s1'));
    first.release();
    first.connection.close();
    const second = await pool.acquire(target('s1'));
    expect(second.connection).not.toBe(first.connection);
    expect(second.connection.isOpen()).toBe(true);
    pool.closeAll();
  });

  it('keeps at most max open: an idle one is closed for a new target, a busy pool waits', async () => {
    const pool = createSshPool({ max: 1, open: async (t) => fakeConnection(t.id) });
    const one = await pool.acquire(target('s1'));
    let gotTwo = false;
    const two = pool.acquire(target('s2')).then((lease) => ((gotTwo = true), lease));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gotTwo).toBe(false);
    one.release();
    const lease = await two;
    expect(one.connection.isOpen()).toBe(false);
    expect(pool.size()).toBe(1);
    lease.release();
    pool.closeAll();
  });

  it('closes a connection left idle for idleMs', async () => {
    const pool = createSshPool({ idleMs: 20, open: async (t) => fakeConnection(t.id) });
    const lease = await pool.acquire(target('s1'));
    lease.release();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(lease.connection.isOpen()).toBe(false);
    expect(pool.size()).toBe(0);
  });

  it('a failed connect is not cached', async () => {
    let attempts = 0;
    const pool = createSshPool({ open: async (t) => (++attempts === 1 ? Promise.reject(new Error('refused')) : fakeConnection(t.id)) });
    await expect(pool.acquire(target('s1'))).rejects.toThrow('refused');
    await expect(pool.acquire(target('s1'))).resolves.toBeDefined();
    pool.closeAll();
  });
});
