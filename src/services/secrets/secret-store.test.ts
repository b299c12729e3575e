import { describe, expect, it } from 'vitest';
import { createMemorySecretStore, MAX_SECRET_KEY_LENGTH } from './secret-store';

describe('createMemorySecretStore', () => {
  it('says it keeps secrets in memory only', () => {
    expect(createMemorySecretStore().kind).toBe('memory');
  });

  it('returns null for a key never set', () => {
    expect(createMemorySecretStore().get('ssh-password:srv-1')).toBeNull();
  });

  it('stores, replaces and deletes a secret', () => {
    const store = createMemorySecretStore();
    store.set('ssh-password:srv-1', 'first');
    expect(store.get('ssh-password:srv-1')).toBe('first');
    store.set('ssh-password:srv-1', 'second');
    expect(store.get('ssh-password:srv-1')).toBe('second');
    store.delete('ssh-password:srv-1');
    expect(store.get('ssh-password:srv-1')).toBeNull();
  });

  it('keeps keys apart and accepts an empty or unicode value as is', () => {
    const store = createMemorySecretStore();
    store.set('a', '');
    store.set('b', 'pässwörd 🔑');
    expect(store.get('a')).toBe('');
    expect(store.get('b')).toBe('pässwörd 🔑');
  });

  it('deleting a missing key is not an error', () => {
    expect(() => createMemorySecretStore().delete('never-set')).not.toThrow();
  });

  it('starts from the entries it is given', () => {
    const store = createMemorySecretStore([['key-passphrase:k1', 'hunter2']]);
    expect(store.get('key-passphrase:k1')).toBe('hunter2');
  });

  it('refuses empty and oversized keys', () => {
    const store = createMemorySecretStore();
    expect(() => store.set('', 'x')).toThrow(TypeError);
    expect(() => store.get('k'.repeat(MAX_SECRET_KEY_LENGTH + 1))).toThrow(TypeError);
    expect(() => store.set('k'.repeat(MAX_SECRET_KEY_LENGTH), 'x')).not.toThrow();
  });

  it('does not share state between stores', () => {
    const one = createMemorySecretStore();
    const two = createMemorySecretStore();
    one.set('k', 'v');
    expect(two.get('k')).toBeNull();
  });
});
