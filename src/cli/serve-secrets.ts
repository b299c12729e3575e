// Where `switchyard serve` keeps secrets (webhook URLs, SMTP and SSH passwords). With a key file —
// `--secrets-key FILE`, or the credential systemd hands over as $CREDENTIALS_DIRECTORY/secrets-key —
// they are encrypted into the data folder and survive restarts; without one they stay in memory
// until the host stops, as on a workstation where the browser console is a passing view.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';
import { openKeyFileSecretStore, readSecretsKey, SECRETS_FILE } from '../services/secrets/key-file-secret-store';
import { UsageError } from './io';
import { errorMessage } from '../domain/error-message';

export const SYSTEMD_CREDENTIAL = 'secrets-key';

export function keyFileOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (flag !== undefined) return flag;
  const dir = env['CREDENTIALS_DIRECTORY'];
  const fromSystemd = dir === undefined || dir === '' ? null : path.join(dir, SYSTEMD_CREDENTIAL);
  return fromSystemd !== null && existsSync(fromSystemd) ? fromSystemd : null;
}

export function serveSecretStore(
  dataDir: string,
  keyFile: string | null,
  log: (message: string) => void,
): { secrets: SecretStore; note: string } {
  if (keyFile === null) {
    return {
      secrets: createMemorySecretStore(),
      note: 'secrets (webhook URLs, SMTP and SSH passwords) are kept in memory until this host stops; start with --secrets-key FILE to keep them',
    };
  }
  let key: Buffer;
  try {
    key = readSecretsKey(keyFile);
  } catch (error) {
    throw new UsageError(`--secrets-key: ${errorMessage(error)}`);
  }
  const file = path.join(dataDir, SECRETS_FILE);
  return { secrets: openKeyFileSecretStore({ file, key, log }), note: `secrets are encrypted in ${file} with the key in ${keyFile}` };
}
