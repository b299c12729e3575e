import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// electron/secret-store.ts against a stand-in safeStorage whose "ciphertext" is reversible but
// never equal to the plaintext, so the test can tell whether a plaintext reached the disk.

const fake = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret' as string,
  rotate: false,
  encryptions: 0,
  failDecrypt: new Set<string>(),
}));
const seal = (text: string) => Buffer.from(`sealed:${Buffer.from(text, 'utf8').toString('hex')}`, 'utf8');
const unseal = (data: Buffer) => Buffer.from(data.toString('utf8').replace(/^sealed:/, ''), 'hex').toString('utf8');

vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: () => Promise.resolve(fake.available),
    getSelectedStorageBackend: () => fake.backend,
    encryptStringAsync: (text: string) => {
      fake.encryptions += 1;
      return Promise.resolve(seal(text));
    },
    decryptStringAsync: (data: Buffer) => {
      const text = unseal(data);
      if (fake.failDecrypt.has(text)) return Promise.reject(new Error('keyring locked'));
      return Promise.resolve({ result: text, shouldReEncrypt: fake.rotate });
    },
  },
}));
const { openSecretStore } = await import('../../electron/secret-store');

let dir = '';
let file = '';
const logs: string[] = [];
const log = (message: string) => logs.push(message);

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-secrets-'));
  file = path.join(dir, 'secrets.json');
  Object.assign(fake, { available: true, backend: 'gnome_libsecret', rotate: false, encryptions: 0 });
  fake.failDecrypt.clear();
  logs.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openSecretStore (safeStorage)', () => {
  it('keeps ciphertext only on disk, readable by the user alone, and reads it back', async () => {
    const store = await openSecretStore(file, log);
    expect(store.kind).toBe('os-keychain');
    store.set('ssh-password:srv-1', 'hunter2');
    store.set('key-passphrase:k1', 'correct horse');
    await store.flush();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('correct horse');
    expect(Object.keys((JSON.parse(text) as { entries: object }).entries).sort()).toEqual(['key-passphrase:k1', 'ssh-password:srv-1']);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const reopened = await openSecretStore(file, log);
    expect(reopened.get('ssh-password:srv-1')).toBe('hunter2');
    expect(reopened.get('key-passphrase:k1')).toBe('correct horse');
    expect(reopened.get('missing')).toBeNull();
  });

  it('applies sets and deletes in order', async () => {
    const store = await openSecretStore(file, log);
    store.set('a', '1');
    store.set('a', '2');
    store.set('b', 'x');
    store.delete('b');
    expect(store.get('a')).toBe('2');
    expect(store.get('b')).toBeNull();
    await store.flush();
    const reopened = await openSecretStore(file, log);
    expect(reopened.get('a')).toBe('2');
    expect(reopened.get('b')).toBeNull();
  });

  it('with only the Linux basic_text backend keeps secrets for the session unless the risk is accepted', async () => {
    fake.backend = 'basic_text';
    const store = await openSecretStore(file, log);
    if (process.platform === 'linux') {
      expect(store.kind).toBe('memory');
      store.set('k', 'v');
      await store.flush();
      expect(existsSync(file)).toBe(false);
      expect(logs.join('\n')).toMatch(/session only/);
    }
    const accepted = await openSecretStore(file, log, { acceptBasicText: true });
    expect(accepted.kind).toBe(process.platform === 'linux' ? 'basic-text' : 'os-keychain');
  });

  it('falls back to memory when the OS cannot encrypt, and writes nothing', async () => {
    fake.available = false;
    const store = await openSecretStore(file, log);
    expect(store.kind).toBe('memory');
    store.set('k', 'v');
    await store.flush();
    expect(store.get('k')).toBe('v');
    expect(existsSync(file)).toBe(false);
    expect(logs.join('\n')).toMatch(/memory/);
  });

  it('refuses a file that is not a secret file instead of overwriting it', async () => {
    writeFileSync(file, '{"something": "else"}');
    await expect(openSecretStore(file, log)).rejects.toThrow(/not a Switchyard secret file/);
    expect(readFileSync(file, 'utf8')).toBe('{"something": "else"}');
  });

  it('keeps an undecryptable secret on disk untouched while the others stay usable', async () => {
    const first = await openSecretStore(file, log);
    first.set('locked', 'cannot-read');
    first.set('open', 'can-read');
    await first.flush();

    fake.failDecrypt.add('cannot-read');
    const second = await openSecretStore(file, log);
    expect(second.get('locked')).toBeNull();
    expect(second.get('open')).toBe('can-read');
    second.set('other', 'value');
    await second.flush();

    fake.failDecrypt.clear();
    const third = await openSecretStore(file, log);
    expect(third.get('locked')).toBe('cannot-read');
    expect(third.get('other')).toBe('value');
  });

  it('re-encrypts everything when the OS says the key rotated', async () => {
    const first = await openSecretStore(file, log);
    first.set('k', 'v');
    first.set('l', 'w');
    await first.flush();
    fake.encryptions = 0;
    fake.rotate = true;
    const second = await openSecretStore(file, log);
    await second.flush();
    expect(fake.encryptions).toBe(2);
    expect(second.get('k')).toBe('v');

    fake.rotate = false;
    fake.encryptions = 0;
    const third = await openSecretStore(file, log);
    await third.flush();
    expect(fake.encryptions).toBe(0);
    expect(third.get('l')).toBe('w');
  });

  it('refuses empty keys', async () => {
    const store = await openSecretStore(file, log);
    expect(() => store.set('', 'v')).toThrow(TypeError);
  });
});
