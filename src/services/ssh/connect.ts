import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import type { Duplex } from 'node:stream';
import type { SecretStore } from '../secrets/secret-store';
import { buildAuth } from './auth';
import type { HostKeyStore, PresentedHostKey } from './host-keys';
import { SshError } from './ssh-error';
import { resolveTarget, type ResolvedTarget, type SshConfigSource, type SshTarget } from './ssh-target';

// The one place an SSH connection is made. ssh2 accepts ANY host key when no hostVerifier is
// given, so every connection (jump hops included) goes through openVerified below, which always
// passes one; test/integration/ssh-single-entry.test.ts fails if another file constructs a Client.

export type HostKeyAnswer = 'accept' | 'refuse';

export interface ConnectTimeouts {
  /** TCP connect + handshake + auth, not counting time spent waiting for the operator's answer. */
  connectMs?: number;
  keepaliveMs?: number;
  keepaliveCountMax?: number;
}

export interface ConnectOptions {
  hostKeys: HostKeyStore;
  secrets: SecretStore;
  sshConfig?: SshConfigSource;
  timeouts?: ConnectTimeouts;
  /** Asked when a host key is not on file; the connection waits for the answer. */
  onUnknownHostKey(key: PresentedHostKey): Promise<HostKeyAnswer>;
  /** Where SSH_AUTH_SOCK is read from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  signal?: AbortSignal;
}

export interface SshConnection {
  /** `user@host:port`, for messages and logs. */
  readonly label: string;
  readonly client: Client;
  isOpen(): boolean;
  /** Closes this connection and any jump hops under it. */
  close(): void;
  onClose(listener: (reason: SshError | null) => void): () => void;
}

const DEFAULTS = { connectMs: 20_000, keepaliveMs: 15_000, keepaliveCountMax: 3 };

// ssh2's own order; a host's known key types are moved to the front, as OpenSSH does, so a server
// with several host keys presents the one already on file instead of one that reads as "changed".
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function preferredAlgorithms(knownTypes: string[]): ServerHostKeyAlgorithm[] {
  const first = knownTypes.flatMap((type): ServerHostKeyAlgorithm[] =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : HOST_KEY_ALGORITHMS.filter((a) => a === type),
  );
  return [...new Set([...first, ...HOST_KEY_ALGORITHMS])];
}

export async function connect(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const resolved = resolveTarget(target, options.sshConfig ?? null, { homeDir: options.homeDir });
  const hops = resolved.jumps.map((hop) =>
    resolveTarget(
      // A hop uses the target's way of authenticating and, unless the config says otherwise, its
      // user and key; its own ProxyJump is ignored, as in an OpenSSH chain.
      { id: target.id, host: hop.host, port: hop.port, user: hop.user, auth: resolved.auth, jumpHost: 'none' },
      options.sshConfig ?? null,
      { homeDir: options.homeDir, user: resolved.user, keyPath: resolved.keyPath },
    ),
  );
  let via: SshConnection | null = null;
  try {
    for (const hop of hops) via = await openVerified(hop, options, via);
    return await openVerified(resolved, options, via);
  } catch (err) {
    via?.close();
    throw err;
  }
}

async function openVerified(target: ResolvedTarget, options: ConnectOptions, via: SshConnection | null): Promise<SshConnection> {
  const label = `${target.user}@${target.host}:${target.port}`;
  const auth = buildAuth(target, { secrets: options.secrets, env: options.env ?? process.env, platform: process.platform });
  const sock = via ? await forwardThrough(via, target) : undefined;
  const timeouts = { ...DEFAULTS, ...options.timeouts };

  return new Promise<SshConnection>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let refusal: SshError | null = null;
    let waitingForAnswer = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: SshError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.destroy();
      via?.close();
      reject(error);
    };
    const armTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(new SshError('connect-timeout', `${label} did not complete the SSH handshake within ${timeouts.connectMs} ms.`)),
        timeouts.connectMs,
      );
    };
    const onAbort = (): void => fail(new SshError('cancelled', `Connecting to ${label} was cancelled.`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      let check: ReturnType<HostKeyStore['check']>;
      try {
        check = options.hostKeys.check(target.host, target.port, key);
      } catch (err) {
        // An unreadable known_hosts must refuse the key, never wave it through.
        refusal = new SshError('host-key-refused', `The known_hosts files could not be read to check ${label}: ${String(err)}`);
        return verify(false);
      }
      if (check.status === 'known') return verify(true);
      if (check.status === 'refused') {
        refusal = check.error;
        return verify(false);
      }
      // Unknown: the operator decides. The connect timer stops while they read the fingerprint.
      clearTimeout(timer);
      waitingForAnswer = true;
      options.onUnknownHostKey(check.key).then(
        (answer) => {
          waitingForAnswer = false;
          // An accepted key is filed even if the connection gave up meanwhile: the operator
          // verified it, and the next attempt should not ask again.
          if (answer === 'accept') options.hostKeys.accept(target.host, target.port, key);
          if (settled) return;
          if (answer === 'accept') {
            armTimer();
            verify(true);
          } else {
            refusal = new SshError(
              'host-key-refused',
              `The ${check.key.keyType} host key ${check.key.fingerprint} of ${label} was refused; nothing was run.`,
            );
            verify(false);
          }
        },
        (err: unknown) => {
          waitingForAnswer = false;
          refusal = new SshError('host-key-refused', `The host key of ${label} was not accepted (${String(err)}); nothing was run.`);
          if (!settled) verify(false);
        },
      );
    };

    client.on('ready', () => {
      if (settled) return client.destroy();
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(wrapConnection(client, label, via));
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      fail(refusal ?? describeError(err, label));
    });
    client.on('close', () => {
      if (settled) return;
      const reason = waitingForAnswer
        ? `${label} closed the connection while Switchyard waited for your answer about its host key. Connect again.`
        : `${label} closed the connection before the SSH session was ready.`;
      fail(refusal ?? new SshError('connect-failed', reason));
    });

    armTimer();
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      hostVerifier,
      // ssh2's own ready timer cannot pause while the operator reads a fingerprint: ours does.
      readyTimeout: 0,
      keepaliveInterval: timeouts.keepaliveMs,
      keepaliveCountMax: timeouts.keepaliveCountMax,
      algorithms: { serverHostKey: preferredAlgorithms(options.hostKeys.knownTypes(target.host, target.port)) },
      ...auth,
      ...(sock ? { sock } : {}),
    };
    client.connect(config);
  });
}

function forwardThrough(via: SshConnection, target: ResolvedTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
      if (err) {
        via.close();
        reject(new SshError('connect-failed', `The jump host ${via.label} could not reach ${target.host}:${target.port}: ${err.message}`));
      } else resolve(stream);
    });
  });
}

function describeError(err: Error & { level?: string; code?: string }, label: string): SshError {
  if (err.level === 'client-authentication') {
    return new SshError('auth-failed', `${label} refused every authentication method offered; check the user, key or password.`, {
      cause: err,
    });
  }
  if (err.level === 'agent')
    return new SshError('auth-failed', `The SSH agent could not sign for ${label}: ${err.message}`, { cause: err });
  if (err.code === 'ECONNREFUSED')
    return new SshError('connect-failed', `${label} refused the connection (nothing listens on that port).`, { cause: err });
  return new SshError('connect-failed', `Could not connect to ${label}: ${err.message}`, { cause: err });
}

function wrapConnection(client: Client, label: string, via: SshConnection | null): SshConnection {
  let open = true;
  let lastError: SshError | null = null;
  const listeners = new Set<(reason: SshError | null) => void>();
  // After ready, errors (a keepalive timeout, a reset) end the connection; 'close' reports them.
  client.on('error', (err: Error) => {
    lastError = new SshError('connection-lost', `The connection to ${label} was lost: ${err.message}`, { cause: err });
  });
  client.on('close', () => {
    open = false;
    via?.close();
    for (const listener of [...listeners]) listener(lastError);
    listeners.clear();
  });
  return {
    label,
    client,
    isOpen: () => open,
    close() {
      if (open) client.end();
      via?.close();
    },
    onClose(listener) {
      if (!open) {
        listener(lastError);
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
