import { readFileSync } from 'node:fs';
import ssh2, { type ConnectConfig } from 'ssh2';
import type { SecretStore } from '../secrets/secret-store';
import { SshError } from './ssh-error';
import type { ResolvedTarget } from './ssh-target';

// ssh2 is CommonJS and Node's ESM loader cannot see `utils` as a named export.
const { utils } = ssh2;

// The credentials part of a connection. Secrets come from the secret store at connect time and
// are handed to ssh2 only: no message, log line or error built here ever includes one.

/** Secret-store key of a server's SSH password. */
export const passwordSecretKey = (id: string): string => `ssh-password:${id}`;
/** Secret-store key of the passphrase of a server's private key file. */
export const passphraseSecretKey = (id: string): string => `ssh-key-passphrase:${id}`;

export type AuthConfig = Pick<ConnectConfig, 'agent' | 'privateKey' | 'passphrase' | 'password'>;

export interface AuthContext {
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export function buildAuth(target: ResolvedTarget, context: AuthContext): AuthConfig {
  const who = `${target.user}@${target.alias}`;
  switch (target.auth) {
    case 'agent': {
      // Pageant is the agent on Windows; elsewhere OpenSSH's agent socket.
      if (context.platform === 'win32') return { agent: 'pageant' };
      const socket = context.env['SSH_AUTH_SOCK'];
      if (!socket) throw new SshError('not-configured', `${who} uses ssh-agent, but no agent is running (SSH_AUTH_SOCK is not set).`);
      return { agent: socket };
    }
    case 'key': {
      if (!target.keyPath)
        throw new SshError('not-configured', `${who} uses a key file, but none is set (and ~/.ssh/config names no IdentityFile).`);
      let privateKey: Buffer;
      try {
        privateKey = readFileSync(target.keyPath);
      } catch (err) {
        throw new SshError(
          'not-configured',
          `The key file ${target.keyPath} for ${who} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        );
      }
      const passphrase = context.secrets.get(passphraseSecretKey(target.id));
      const parsed = utils.parseKey(privateKey, passphrase ?? undefined);
      if (parsed instanceof Error) throw keyError(parsed, target.keyPath, who, passphrase !== null);
      return passphrase === null ? { privateKey } : { privateKey, passphrase };
    }
    case 'password': {
      const password = context.secrets.get(passwordSecretKey(target.id));
      if (password === null)
        throw new SshError('not-configured', `${who} uses a password, and none is stored for this session. Enter it to connect.`);
      return { password };
    }
  }
}

function keyError(error: Error, keyPath: string, who: string, hadPassphrase: boolean): SshError {
  if (/no passphrase/i.test(error.message)) {
    return new SshError('not-configured', `The key file ${keyPath} for ${who} is protected by a passphrase. Enter it to connect.`);
  }
  if (hadPassphrase && /passphrase|decrypt|bad/i.test(error.message)) {
    return new SshError('auth-failed', `The passphrase stored for the key file ${keyPath} (${who}) does not open it.`);
  }
  return new SshError('not-configured', `The key file ${keyPath} for ${who} is not a private key Switchyard can use: ${error.message}`);
}
