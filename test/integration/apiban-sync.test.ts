import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApibanClient } from '../../src/services/apiban/apiban-client';
import { createApibanService, type SyncProgress } from '../../src/services/apiban/apiban-service';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { createMemorySecretStore, type SecretStore } from '../../src/services/secrets/secret-store';
import { openStore, type Store } from '../../src/services/store/store';
import { addresses, startFakeApiban, type ApibanPage, type FakeApiban } from '../helpers/apiban-server';

// The sync against a loopback server speaking the documented APIBAN v1 protocol.

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const PAGES: ApibanPage[] = [
  { ipaddress: addresses(0, 250), id: '1700000001' },
  { ipaddress: addresses(250, 250), id: '1700000002' },
  { ipaddress: addresses(500, 1)[0] as string, id: '1700000003' },
];

async function setup(pages = PAGES) {
  const api = await startFakeApiban(KEY, pages);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-apiban-'));
  cleanups.push(
    () => api.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const secrets = createMemorySecretStore();
  let now = Date.UTC(2026, 10, 25, 12);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const stores: Store[] = [];
  const open = () => {
    const store = openStore({ file: path.join(dir, 'switchyard.db') });
    stores.push(store);
    cleanups.push(() => store.close());
    return store;
  };
  const progress: SyncProgress[] = [];
  const service = (store: Store, s: SecretStore = secrets) =>
    createApibanService({
      store,
      secrets: s,
      client: createApibanClient({ timeoutMs: 5_000 }),
      clock: clock.now,
      recipes: defaultRecipeBook,
      exec: () => Promise.reject(new Error('no SSH in this test')),
      onProgress: (p) => progress.push(p),
      backoff: { firstMs: 5, maxMs: 20, maxRetries: 3 },
    });
  return { api, clock, open, service, secrets, progress };
}

const banned = (api: FakeApiban) => api.requests.filter((r) => r.includes('/banned/')).map((r) => r.split('/').pop());

describe('APIBAN sync', () => {
  it('pages from ID 100 to the "no new bans" end, string or array, and resumes from the last ID next time', async () => {
    const { api, open, service } = await setup();
    const store = open();
    const apiban = service(store);
    apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    const result = await apiban.sync();
    expect(result).toMatchObject({ outcome: 'complete', pages: 3, added: 501, refreshed: 0, nextId: '1700000003' });
    expect(banned(api)).toEqual(['100', '1700000001', '1700000002', '1700000003']);
    expect(store.apiban.count()).toBe(501);
    expect(store.apiban.get('45.64.1.244')).not.toBeNull();

    api.requests.length = 0;
    const again = await apiban.sync();
    expect(again).toMatchObject({ outcome: 'complete', pages: 0, added: 0 });
    expect(banned(api)).toEqual(['1700000003']);
  });

  it('backs off on a 429 in the middle of paging and resumes at the same ID: nothing lost or duplicated', async () => {
    const { api, open, service, progress } = await setup();
    const apiban = service(open());
    apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    api.rateLimit('1700000001', 2);
    const result = await apiban.sync();
    expect(result).toMatchObject({ outcome: 'complete', pages: 3, added: 501, refreshed: 0 });
    expect(banned(api)).toEqual(['100', '1700000001', '1700000001', '1700000001', '1700000002', '1700000003']);
    expect(progress.filter((p) => p.state === 'waiting')).toHaveLength(2);
    expect(apiban.list('', 5000, 0).total).toBe(501);
  });

  it('a rate limit that lasts stops the sync; a restart resumes from the persisted ID, never from 100', async () => {
    const { api, open, service } = await setup();
    const first = open();
    const apiban = service(first);
    apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    api.rateLimit('1700000002', 10);
    const cut = await apiban.sync();
    expect(cut).toMatchObject({ outcome: 'rate-limited', pages: 2, added: 500, nextId: '1700000002' });
    expect(cut.message).toContain('resumes from ID 1700000002');
    first.close();

    // A new process on the same database file: the state survived.
    api.requests.length = 0;
    api.rateLimit('1700000002', 0);
    const reopened = service(open());
    expect(reopened.status()).toMatchObject({ nextId: '1700000002', addresses: 500, lastOutcome: 'rate-limited' });
    const rest = await reopened.sync();
    expect(rest).toMatchObject({ outcome: 'complete', pages: 1, added: 1 });
    expect(banned(api)).toEqual(['1700000002', '1700000003']);
    expect(reopened.list('', 5000, 0).total).toBe(501);
  });

  it('says clearly when the key is refused (403) or missing', async () => {
    const { api, open, service } = await setup();
    const apiban = service(open());
    await expect(apiban.sync()).rejects.toMatchObject({
      code: 'invalid-input',
      field: 'key',
      message: expect.stringContaining('No APIBAN key'),
    });
    apiban.setKey({ key: 'wrongkey0000000000', baseUrl: api.baseUrl, httpHost: api.host });
    await expect(apiban.sync()).rejects.toMatchObject({ field: 'key', message: expect.stringContaining('refused the key (HTTP 403)') });
    expect(apiban.status()).toMatchObject({ lastOutcome: 'failed', nextId: '100', addresses: 0 });
  });

  it('expires addresses not seen for 7 days and keeps those APIBAN reported again', async () => {
    const [a, b, c] = addresses(9_000, 3) as [string, string, string];
    const { api, open, service, clock } = await setup([{ ipaddress: [a, b], id: '200' }]);
    const apiban = service(open());
    apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    await apiban.sync();
    clock.advance(5 * DAY);
    api.setPages([
      { ipaddress: [a, b], id: '200' },
      { ipaddress: [b, c], id: '300' },
    ]);
    expect(await apiban.sync()).toMatchObject({ added: 1, refreshed: 1 });
    clock.advance(3 * DAY);
    const rows = apiban.list('', 100, 0).rows;
    expect(rows.map((r) => r.ip).sort()).toEqual([b, c]);
    expect(rows.find((r) => r.ip === b)).toMatchObject({ firstSeen: Date.UTC(2026, 10, 25, 12), lastSeen: Date.UTC(2026, 10, 30, 12) });
  });

  it('checks one address against the API and the local list', async () => {
    const { api, open, service } = await setup();
    const apiban = service(open());
    apiban.setKey({ key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    await apiban.sync();
    await expect(apiban.check('45.64.0.7')).resolves.toMatchObject({ ip: '45.64.0.7', banned: true, id: '1700000001', inLocalList: true });
    await expect(apiban.check('8.8.4.4')).resolves.toMatchObject({ banned: false, id: null, inLocalList: false });
    await expect(apiban.check('not-an-ip')).rejects.toMatchObject({ field: 'ip' });
  });
});
