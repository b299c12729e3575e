import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { createMemorySecretStore, type SecretStore } from '../../src/services/secrets/secret-store';
import { openStore, type Store } from '../../src/services/store/store';
import { createUacService, uacPasswordKey } from '../../src/services/uac/uac-service';

// The upstream list's all-or-nothing save against a real SQLite store: a refused list, an id that
// is not the server's, or a secret store that fails half way leave the list and every password as
// they were. (Pushing and reading run against real Kamailio in uac-kamailio.test.ts.)

let store: Store;
let secrets: SecretStore;
let failOn: string | null;
const SERVER = 'srv-1';

function service() {
  return createUacService({
    store,
    secrets,
    exec: () => Promise.reject(new Error('no server is contacted here')),
    recipes: defaultRecipeBook,
    clock: () => 1_000,
  });
}

beforeEach(() => {
  store = openStore({ file: ':memory:' });
  store.zones.insert({ id: 'z1', name: 'EU', description: '', createdAt: 0 });
  store.servers.insert({
    ...defaultServerDraft('z1'),
    ip: '192.0.2.10',
    alias: 'sw1',
    id: SERVER,
    installRecommended: false,
    updatePending: false,
    createdAt: 0,
    updatedAt: 0,
  });
  const memory = createMemorySecretStore();
  failOn = null;
  secrets = {
    kind: 'memory',
    get: (key) => memory.get(key),
    set: (key, value) => {
      if (value === failOn) throw new Error('the keychain is locked');
      memory.set(key, value);
    },
    delete: (key) => memory.delete(key),
  };
});
afterEach(() => store.close());

describe('UAC upstreams, all or nothing', () => {
  it('a secret store failing half way puts the passwords back and saves no row', () => {
    const uac = service();
    const first = uac.setUpstreams(SERVER, [{ registrar: 'sip:reg.example.net', username: 'a', expiry: 600, password: 'old-a' }])
      .upstreams[0]!;
    failOn = 'new-b';
    expect(() =>
      uac.setUpstreams(SERVER, [
        { id: first.id, registrar: 'sip:reg.example.net', username: 'a', expiry: 900, password: 'new-a' },
        { registrar: 'sip:reg.example.net', username: 'b', expiry: 600, password: 'new-b' },
      ]),
    ).toThrow('the keychain is locked');
    expect(secrets.get(uacPasswordKey(first.id))).toBe('old-a');
    expect(store.uac.upstreams(SERVER).map((u) => [u.username, u.expiry])).toEqual([['a', 600]]);
  });

  it("refuses an id that is not one of the server's, and one listed twice, naming the field", () => {
    const uac = service();
    const saved = uac.setUpstreams(SERVER, [{ registrar: 'reg.example.net', username: 'a', expiry: 600, password: 'pw' }]).upstreams[0]!;
    expect(() => uac.setUpstreams(SERVER, [{ id: 'not-ours', registrar: 'reg.example.net', username: 'a', expiry: 600 }])).toThrow(
      /upstream 1 \(not-ours\) is not one of this server's/,
    );
    expect(() =>
      uac.setUpstreams(SERVER, [
        { id: saved.id, registrar: 'reg.example.net', username: 'a', expiry: 600 },
        { id: saved.id, registrar: 'reg.example.net', username: 'b', expiry: 600 },
      ]),
    ).toThrow(/listed twice/);
    expect(store.uac.upstreams(SERVER)).toHaveLength(1);
  });

  it('removing an upstream forgets its password; keeping one without a new password keeps it', () => {
    const uac = service();
    const view = uac.setUpstreams(SERVER, [
      { registrar: 'reg.example.net', username: 'a', expiry: 600, password: 'pw-a' },
      { registrar: 'reg.example.net', username: 'b', expiry: 600, password: 'pw-b' },
    ]);
    const [a, b] = view.upstreams;
    const after = uac.setUpstreams(SERVER, [{ id: b!.id, registrar: 'reg.example.net', username: 'b', expiry: 1200 }]);
    expect(after.upstreams).toEqual([{ id: b!.id, registrar: 'reg.example.net', username: 'b', expiry: 1200, passwordSet: true }]);
    expect(secrets.get(uacPasswordKey(a!.id))).toBeNull();
    expect(secrets.get(uacPasswordKey(b!.id))).toBe('pw-b');
    expect(store.servers.get(SERVER)?.installRecommended).toBe(true);
  });
});
