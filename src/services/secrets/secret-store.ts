/**
 * Where passwords and key passphrases live. Never SQLite: a database file is copied into
 * snapshots and backups, and a secret must not travel with it.
 *
 * `kind` says how well the secrets are protected, so the UI can tell the operator the truth:
 * - `os-keychain`: encrypted with a key held by the OS (macOS Keychain, Windows DPAPI, Secret
 *   Service or KWallet on Linux);
 * - `basic-text`: written to disk with a key that ships inside the app, i.e. obfuscated, not
 *   encrypted (Linux without a keyring);
 * - `key-file`: encrypted (AES-256-GCM) with a key the operator keeps in a file apart from the
 *   data folder: `switchyard serve` run as a service, where there is no desktop keyring;
 * - `memory`: nothing is written; secrets last until the app quits.
 */
export interface SecretStore {
  readonly kind: 'os-keychain' | 'basic-text' | 'key-file' | 'memory';
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export type SecretStoreKind = SecretStore['kind'];

/** Longest key accepted: keys are identifiers such as `ssh-password:<server id>`, not data. */
export const MAX_SECRET_KEY_LENGTH = 200;

/** Throws on a key no caller should ever produce, so a bug cannot write under an empty name. */
export function assertSecretKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_SECRET_KEY_LENGTH) {
    throw new TypeError(`A secret key must be a string of 1 to ${MAX_SECRET_KEY_LENGTH} characters.`);
  }
}

/** Secrets held for the life of the process only: tests, and machines with no usable keychain. */
export function createMemorySecretStore(initial?: Iterable<readonly [string, string]>): SecretStore {
  const entries = new Map<string, string>();
  for (const [key, value] of initial ?? []) {
    assertSecretKey(key);
    entries.set(key, value);
  }
  return {
    kind: 'memory',
    get(key) {
      assertSecretKey(key);
      return entries.get(key) ?? null;
    },
    set(key, value) {
      assertSecretKey(key);
      if (typeof value !== 'string') throw new TypeError('A secret value must be a string.');
      entries.set(key, value);
    },
    delete(key) {
      assertSecretKey(key);
      entries.delete(key);
    },
  };
}
