import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bytesToBase64, formatSha256Fingerprint, keyTypeOfBlob } from '../../domain/ssh/fingerprint';
import {
  checkHostKey,
  formatKnownHostsLine,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  type HashHostName,
  type KnownHostEntry,
} from '../../domain/ssh/known-hosts';
import { SshError } from './ssh-error';

// Two files: the app's own known_hosts (read and appended to, OpenSSH format) and the user's
// ~/.ssh/known_hosts (read only: the operator's own ssh must never find lines it did not write).
// Both are read afresh on every check, so "remove that line" takes effect without a restart.

export interface HostKeyStoreOptions {
  /** Switchyard's own file; created on the first accepted key. */
  appKnownHostsPath: string;
  /** The operator's OpenSSH file, read but never written; null to ignore it. */
  userKnownHostsPath: string | null;
}

export interface PresentedHostKey {
  host: string;
  port: number;
  keyType: string;
  /** SHA256:… as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

export type HostKeyCheck = { status: 'known' } | { status: 'unknown'; key: PresentedHostKey } | { status: 'refused'; error: SshError };

export interface HostKeyStore {
  check(host: string, port: number, blob: Buffer): HostKeyCheck;
  /** Appends the key to the app's file, after the operator accepted it. */
  accept(host: string, port: number, blob: Buffer): void;
  /** Key types filed for the host, so the handshake asks for a known one first. */
  knownTypes(host: string, port: number): string[];
}

export const hashHostName: HashHostName = (saltBase64, name) =>
  createHmac('sha1', Buffer.from(saltBase64, 'base64')).update(name).digest('base64');

export function fingerprintOf(blob: Uint8Array): string {
  return formatSha256Fingerprint(createHash('sha256').update(blob).digest());
}

export function createHostKeyStore(options: HostKeyStoreOptions): HostKeyStore {
  const load = (): KnownHostEntry[] => {
    const files = [options.appKnownHostsPath, options.userKnownHostsPath].filter((f): f is string => f !== null);
    // A damaged line is skipped, as OpenSSH does; it can never make an unknown key "known".
    return files.flatMap((file) => (existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8'), file).entries : []));
  };

  return {
    check(host, port, blob) {
      const keyType = keyTypeOfBlob(blob);
      if (!keyType)
        return {
          status: 'refused',
          error: new SshError('host-key-refused', `${host}:${port} presented a host key Switchyard cannot read.`),
        };
      const key = bytesToBase64(blob);
      const fingerprint = fingerprintOf(blob);
      const verdict = checkHostKey(load(), { host, port, keyType, key }, hashHostName);
      switch (verdict.status) {
        case 'known':
          return { status: 'known' };
        case 'unknown':
          return { status: 'unknown', key: { host, port, keyType, fingerprint } };
        case 'revoked':
          return {
            status: 'refused',
            error: new SshError(
              'host-key-revoked',
              `The ${keyType} host key ${fingerprint} of ${knownHostName(host, port)} is marked @revoked in ${verdict.entry.source} line ${verdict.entry.line}. ` +
                'Switchyard refuses it and ran nothing.',
            ),
          };
        case 'changed':
          return {
            status: 'refused',
            error: changedKeyError(host, port, keyType, fingerprint, verdict.entries, options.appKnownHostsPath),
          };
      }
    },
    accept(host, port, blob) {
      const keyType = keyTypeOfBlob(blob);
      if (!keyType) throw new SshError('host-key-refused', `${host}:${port} presented a host key Switchyard cannot read.`);
      const file = options.appKnownHostsPath;
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
      // Never glue our line onto a last line someone left without a newline.
      const needsNewline = existing !== '' && !existing.endsWith('\n');
      appendFileSync(file, `${needsNewline ? '\n' : ''}${formatKnownHostsLine(host, port, keyType, bytesToBase64(blob))}\n`, {
        mode: 0o600,
      });
    },
    knownTypes(host, port) {
      return knownKeyTypes(load(), host, port, hashHostName);
    },
  };
}

function changedKeyError(
  host: string,
  port: number,
  keyType: string,
  fingerprint: string,
  entries: KnownHostEntry[],
  appFile: string,
): SshError {
  const name = knownHostName(host, port);
  const was = entries.map((e) => `${e.keyType} ${fingerprintOf(Buffer.from(e.key, 'base64'))} (${e.source} line ${e.line})`).join('; ');
  const first = entries[0];
  const fix = first
    ? first.source === appFile
      ? `If the server was reinstalled and its owner confirms the new fingerprint, remove line ${first.line} from ${first.source} and connect again to accept the new key.`
      : `If the server was reinstalled and its owner confirms the new fingerprint, remove line ${first.line} from ${first.source} (for example with ssh-keygen -R '${name}' -f ${first.source}) and connect again.`
    : '';
  return new SshError(
    'host-key-changed',
    `The host key of ${name} has CHANGED. It is now ${keyType} ${fingerprint}; Switchyard knows it as ${was}. ` +
      `This can mean someone is intercepting the connection, so nothing was run. ${fix}`,
  );
}
