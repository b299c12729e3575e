import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import { assertSecretKey, createMemorySecretStore, type SecretStore } from '../src/host/app';

/** A secret store whose writes reach the disk asynchronously; `flush` waits for them. */
export interface PersistentSecretStore extends SecretStore {
  flush(): Promise<void>;
}

/** On disk: ciphertext only, base64, one entry per key. The file never holds a plaintext. */
interface SecretFile {
  version: 1;
  entries: Record<string, string>;
}

type Protection = 'os-keychain' | 'basic-text';

/**
 * How well safeStorage can protect secrets here, or null when it cannot encrypt at all. On Linux
 * without a keyring Electron falls back to `basic_text`, a key hard-coded in Chromium: readable by
 * anyone who copies the file, so it is reported as such rather than as encryption.
 * (The asynchronous API is used because the synchronous one is deprecated in Electron 45.)
 */
async function protection(): Promise<Protection | null> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'basic-text';
  return 'os-keychain';
}

/**
 * Opens the secret file in userData (called after `app.whenReady()`: safeStorage needs it).
 * Every secret is decrypted once at open, because the store's interface is synchronous and the
 * SSH layer asks for a password in the middle of a connection; writes are encrypted and
 * persisted in order, in the background.
 */
export async function openSecretStore(
  file: string,
  log: (message: string) => void,
  options: { acceptBasicText?: boolean } = {},
): Promise<PersistentSecretStore> {
  const kind = await protection();
  if (kind === null) {
    log('[switchyard] No OS encryption available: secrets are kept in memory until Switchyard quits.');
    return { ...createMemorySecretStore(), flush: () => Promise.resolve() };
  }
  if (kind === 'basic-text') {
    // basic_text is not encryption: passwords stay for the session only unless the user has
    // accepted that risk explicitly (the --accept-unencrypted-secrets flag).
    if (options.acceptBasicText !== true) {
      log(
        '[switchyard] No keyring found: secrets are kept in memory for this session only (start with --accept-unencrypted-secrets to store them obfuscated, not encrypted).',
      );
      return { ...createMemorySecretStore(), flush: () => Promise.resolve() };
    }
    log('[switchyard] No keyring found: secrets are stored obfuscated (basic_text), not encrypted, as accepted.');
  }

  const ciphertexts = new Map(Object.entries((await readSecretFile(file)).entries));
  const plain = new Map<string, string>();
  let reencrypt = false;
  for (const [key, encoded] of ciphertexts) {
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(encoded, 'base64'));
      plain.set(key, result);
      reencrypt ||= shouldReEncrypt;
    } catch {
      // Kept on disk untouched (a locked keyring today may be unlocked tomorrow); reads see null.
      log(`[switchyard] The secret "${key}" could not be decrypted and is unavailable.`);
    }
  }

  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): void => {
    queue = queue.then(work).catch((error: unknown) => {
      log(`[switchyard] Saving secrets failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  const save = () => writeSecretFile(file, { version: 1, entries: Object.fromEntries(ciphertexts) });
  const encryptInto = async (key: string, value: string) => {
    ciphertexts.set(key, (await safeStorage.encryptStringAsync(value)).toString('base64'));
  };

  if (reencrypt) {
    // The OS rotated its key: rewrite everything under the new one.
    enqueue(async () => {
      for (const [key, value] of plain) await encryptInto(key, value);
      await save();
    });
  }

  return {
    kind,
    get(key) {
      assertSecretKey(key);
      return plain.get(key) ?? null;
    },
    set(key, value) {
      assertSecretKey(key);
      if (typeof value !== 'string') throw new TypeError('A secret value must be a string.');
      plain.set(key, value);
      enqueue(async () => {
        // A later set or delete of the same key may have happened meanwhile: write what is current.
        const current = plain.get(key);
        if (current === undefined) return;
        await encryptInto(key, current);
        await save();
      });
    },
    delete(key) {
      assertSecretKey(key);
      plain.delete(key);
      enqueue(async () => {
        if (plain.has(key)) return;
        ciphertexts.delete(key);
        await save();
      });
    },
    flush: () => queue,
  };
}

async function readSecretFile(file: string): Promise<SecretFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isSecretFile(parsed)) {
    // Refuse rather than overwrite: the next save would otherwise destroy every stored secret.
    throw new Error(`${file} is not a Switchyard secret file; move it aside to start afresh.`);
  }
  return parsed;
}

function isSecretFile(value: unknown): value is SecretFile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { version?: unknown; entries?: unknown };
  if (candidate.version !== 1 || typeof candidate.entries !== 'object' || candidate.entries === null) return false;
  return Object.values(candidate.entries).every((entry) => typeof entry === 'string');
}

/** Write-then-rename, so a crash mid-write leaves the previous file whole; readable by the user only. */
async function writeSecretFile(file: string, content: SecretFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
