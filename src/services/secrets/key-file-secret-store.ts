import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertSecretKey, type SecretStore } from './secret-store';

// Secrets for a host with no desktop keyring: `switchyard serve` run as a service. Each secret is
// encrypted with AES-256-GCM under a 32-byte key read from a file the operator keeps apart from the
// data folder (systemd's LoadCredential= hands it over as $CREDENTIALS_DIRECTORY/secrets-key), so
// the data folder, its backups and snapshots never hold what opens them. The secrets file is
// written whole, atomically, mode 0600, after every change.

export const SECRETS_FILE = 'secrets.enc.json';

interface SecretFile {
  version: 1;
  entries: Record<string, string>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads a key file: 64 hex digits (as `openssl rand -hex 32` writes), or 32 raw bytes. */
export function readSecretsKey(keyFile: string): Buffer {
  const stat = statSync(keyFile);
  if ((stat.mode & 0o077) !== 0) {
    throw new Error(`${keyFile} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it first.`);
  }
  const raw = readFileSync(keyFile);
  const text = raw.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (raw.length === 32) return raw;
  throw new Error(`${keyFile} is not a secrets key: it must hold 64 hex digits (make one with \`openssl rand -hex 32\`).`);
}

/** Makes a key file (mode 0600) where none exists yet; returns its path. */
export function ensureSecretsKey(keyFile: string): string {
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return keyFile;
}

function seal(key: Buffer, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The entry's name is authenticated too: a ciphertext moved under another name does not open.
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(key: Buffer, name: string, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

function readFile(file: string): SecretFile {
  if (!existsSync(file)) return { version: 1, entries: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretFile>;
  if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null)
    throw new Error(`${file} is not a Switchyard secrets file.`);
  return {
    version: 1,
    entries: Object.fromEntries(Object.entries(parsed.entries).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}

export function openKeyFileSecretStore(options: { file: string; key: Buffer; log?: (message: string) => void }): SecretStore {
  const { file, key } = options;
  const sealed = new Map(Object.entries(readFile(file).entries));
  const plain = new Map<string, string>();
  let unreadable = 0;
  for (const [name, value] of sealed) {
    try {
      plain.set(name, open(key, name, value));
    } catch {
      unreadable += 1;
    }
  }
  // Kept on disk untouched: the right key tomorrow opens them again.
  if (unreadable > 0) options.log?.(`[switchyard] ${unreadable} secret(s) in ${file} do not open with this key; they are unavailable.`);

  const save = (): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ version: 1, entries: Object.fromEntries(sealed) })}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  };

  return {
    kind: 'key-file',
    get(name) {
      assertSecretKey(name);
      return plain.get(name) ?? null;
    },
    set(name, value) {
      assertSecretKey(name);
      if (typeof value !== 'string') throw new TypeError('A secret value must be a string.');
      plain.set(name, value);
      sealed.set(name, seal(key, name, value));
      save();
    },
    delete(name) {
      assertSecretKey(name);
      if (!sealed.has(name) && !plain.has(name)) return;
      plain.delete(name);
      sealed.delete(name);
      save();
    },
  };
}
