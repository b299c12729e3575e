import { notFound } from '../../domain/errors';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';
import { passphraseSecretKey, passwordSecretKey } from './auth';

// Writes and clears a server's SSH password or key passphrase. The value goes to the secret store
// only; answers say whether one is stored, never what it is.

export type SecretKind = 'password' | 'passphrase';

export function createServerSecrets(store: Store, secrets: SecretStore, onChange: (serverId: string) => void = () => undefined) {
  const keyOf = (serverId: string, kind: SecretKind): string =>
    kind === 'password' ? passwordSecretKey(serverId) : passphraseSecretKey(serverId);
  const status = (serverId: string) => {
    if (!store.servers.get(serverId)) throw notFound('Server', serverId);
    return {
      password: secrets.get(passwordSecretKey(serverId)) !== null,
      passphrase: secrets.get(passphraseSecretKey(serverId)) !== null,
      storage: secrets.kind,
    };
  };
  return {
    status,
    set(serverId: string, kind: SecretKind, value: string) {
      status(serverId);
      secrets.set(keyOf(serverId, kind), value);
      // A pooled connection opened with the old secret is dropped, so the next use tries the new one.
      onChange(serverId);
      return status(serverId);
    },
    clear(serverId: string, kind: SecretKind) {
      status(serverId);
      secrets.delete(keyOf(serverId, kind));
      onChange(serverId);
      return status(serverId);
    },
  };
}

export type ServerSecrets = ReturnType<typeof createServerSecrets>;
