import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store';
import { createAuditLog } from './audit-log';

// The audit log over a real (in-memory) SQLite store: bounds, clamping, and a store that fails.

const DAY = 86_400_000;
const stores: Store[] = [];
const fresh = (): Store => {
  const store = openStore({ file: ':memory:' });
  stores.push(store);
  return store;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('audit log', () => {
  it('drops lines past the retention, by age and by count', () => {
    const store = fresh();
    const now = { t: 1000 * DAY };
    const audit = createAuditLog({ liveStore: store, store, clock: () => now.t, log: () => {}, retention: { days: 10, maxEntries: 5 } });
    audit.record({ kind: 'sign-in', account: 'old', detail: 'long ago', at: now.t - 11 * DAY });
    for (let i = 0; i < 7; i++) audit.record({ kind: 'change', account: 'ana', detail: `line ${i}` });
    expect(audit.prune()).toBe(3);
    const { entries, total } = audit.list({ limit: 100 });
    expect(total).toBe(5);
    expect(entries.map((e) => e.detail)).toEqual(['line 6', 'line 5', 'line 4', 'line 3', 'line 2']);
  });

  it('clamps overlong text instead of failing the thing it describes', () => {
    const store = fresh();
    const seen: unknown[] = [];
    const audit = createAuditLog({ liveStore: store, store, clock: () => 5, log: () => {}, emit: (e) => seen.push(e) });
    audit.record({ kind: 'sign-in-failed', account: 'x'.repeat(5000), address: '::ffff:127.0.0.1', detail: 'y'.repeat(10_000) });
    const [line] = audit.list({ limit: 1 }).entries;
    expect(line?.account).toHaveLength(200);
    expect(line?.detail).toHaveLength(2000);
    expect(line?.detail.endsWith('…')).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('tells the log when the store cannot take a line, and when there is no live store', () => {
    const store = fresh();
    const logged: string[] = [];
    const audit = createAuditLog({ liveStore: store, store, clock: () => 5, log: (m) => logged.push(m) });
    store.close();
    expect(() => audit.record({ kind: 'change', account: 'ana', detail: 'after close' })).not.toThrow();
    expect(logged.join('\n')).toMatch(/could not store "change by ana: after close"/);
    const other = fresh();
    const pinned = createAuditLog({ liveStore: null, store: other, clock: () => 5, log: (m) => logged.push(m) });
    pinned.record({ kind: 'sign-in', account: 'bob', address: '192.0.2.1', detail: 'signed in' });
    expect(logged.at(-1)).toMatch(/audit: .* sign-in bob from 192\.0\.2\.1: signed in/);
  });

  it('filters by account whatever the case, and by kind and time', () => {
    const store = fresh();
    const audit = createAuditLog({ liveStore: store, store, clock: () => 100, log: () => {} });
    audit.record({ kind: 'sign-in', account: 'Ana', detail: 'a', at: 10 });
    audit.record({ kind: 'change', account: 'bob', detail: 'b', at: 20 });
    audit.record({ kind: 'change', account: 'ana', detail: 'c', at: 30 });
    expect(audit.list({ account: 'ANA', limit: 10 }).entries.map((e) => e.detail)).toEqual(['c', 'a']);
    expect(audit.list({ kind: 'change', since: 25, limit: 10 }).entries.map((e) => e.detail)).toEqual(['c']);
    expect(audit.list({ until: 15, limit: 10 }).entries.map((e) => e.detail)).toEqual(['a']);
    expect(audit.list({ limit: 1 })).toMatchObject({ total: 3, kinds: ['change', 'sign-in'] });
  });
});
