import { z } from 'zod';
import { Id } from './fleet';
import { command, query } from './spec';

// A server's SSH password or key passphrase: written into the secret store (Electron's
// safeStorage, or memory for the session in the web host), never into SQLite, never logged and
// never returned. The UI can only learn whether one is stored.

export const SecretKind = z.enum(['password', 'passphrase']);

export const SecretStatus = z.object({
  password: z.boolean(),
  passphrase: z.boolean(),
  /** How the store protects secrets: `memory` lasts until the console quits. */
  storage: z.enum(['os-keychain', 'basic-text', 'key-file', 'memory']),
});

export const sshSecretMethods = {
  'ssh:set-secret': command(
    z.strictObject({
      serverId: Id,
      kind: SecretKind,
      value: z.string().min(1, 'is required').max(4096, 'must be at most 4096 characters'),
    }),
    SecretStatus,
  ),
  'ssh:clear-secret': command(z.strictObject({ serverId: Id, kind: SecretKind }), SecretStatus),
  'ssh:secret-status': query(z.strictObject({ serverId: Id }), SecretStatus),
};
