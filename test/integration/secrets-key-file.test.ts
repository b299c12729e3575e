import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureSecretsKey, openKeyFileSecretStore, readSecretsKey } from '../../src/services/secrets/key-file-secret-store';
import { useTempDirs } from '../helpers/temp-dir';

// The secret store of a host run as a service: what it writes opens again after a restart with
// the same key, and with no other; the file holds no plaintext and nobody else can read it.

const tempDir = useTempDirs();

describe('secrets under a key file', () => {
  it('survive a restart, are encrypted on disk, and the files are 0600', () => {
    const dir = tempDir();
    const keyFile = ensureSecretsKey(path.join(dir, 'etc', 'secrets.key'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const file = path.join(dir, 'data', 'secrets.enc.json');
    const first = openKeyFileSecretStore({ file, key: readSecretsKey(keyFile) });
    expect(first.kind).toBe('key-file');
    first.set('alert-channel:2:url', 'https://hooks.slack.com/services/T000/B000/very-secret-token');
    first.set('ssh-password:srv-1', 'hunter2');
    first.delete('ssh-password:srv-1');
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain('very-secret-token');
    expect(onDisk).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = openKeyFileSecretStore({ file, key: readSecretsKey(keyFile) });
    expect(second.get('alert-channel:2:url')).toBe('https://hooks.slack.com/services/T000/B000/very-secret-token');
    expect(second.get('ssh-password:srv-1')).toBeNull();
  });

  it('another key opens nothing and says so; the entries stay for the right key', () => {
    const dir = tempDir();
    const file = path.join(dir, 'secrets.enc.json');
    const key = readSecretsKey(ensureSecretsKey(path.join(dir, 'a.key')));
    openKeyFileSecretStore({ file, key }).set('alert-channel:1:password', 'smtp-pass');
    const logs: string[] = [];
    const wrong = openKeyFileSecretStore({
      file,
      key: readSecretsKey(ensureSecretsKey(path.join(dir, 'b.key'))),
      log: (m) => logs.push(m),
    });
    expect(wrong.get('alert-channel:1:password')).toBeNull();
    expect(logs.join()).toMatch(/1 secret\(s\) .* do not open with this key/);
    expect(openKeyFileSecretStore({ file, key }).get('alert-channel:1:password')).toBe('smtp-pass');
  });

  it('an entry moved under another name does not open', () => {
    const dir = tempDir();
    const file = path.join(dir, 'secrets.enc.json');
    const key = readSecretsKey(ensureSecretsKey(path.join(dir, 'k')));
    openKeyFileSecretStore({ file, key }).set('a', 'one');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version: 1; entries: Record<string, string> };
    writeFileSync(file, JSON.stringify({ version: 1, entries: { b: parsed.entries['a'] } }));
    expect(openKeyFileSecretStore({ file, key }).get('b')).toBeNull();
  });

  it('refuses a key file others can read, or one that is not a key', () => {
    const dir = tempDir();
    const loose = path.join(dir, 'loose.key');
    writeFileSync(loose, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(loose, 0o644);
    expect(() => readSecretsKey(loose)).toThrow(/can be read by other users \(mode 644\)/);
    const short = path.join(dir, 'short.key');
    writeFileSync(short, 'abc\n', { mode: 0o600 });
    expect(() => readSecretsKey(short)).toThrow(/must hold 64 hex digits/);
  });
});
