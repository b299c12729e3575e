// `--from SERVER`: finds the fleet server by IP or alias and opens an SSH connection to it, so
// ping and mtr run there with the same argv and parsers as on this workstation.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from '../contract/fleet';
import { canonicalIp } from '../domain/fleet/ip';
import type { HostApp } from '../host/app';
import { createMemorySecretStore } from '../services/secrets/secret-store';
import { exec } from '../services/ssh/exec';
import { createHostKeyStore } from '../services/ssh/host-keys';
import { parseSshConfig, type SshTarget } from '../services/ssh/ssh-target';
import { createRemoteRunner, type ToolRunner } from '../services/tools';
import type { Io } from './io';

export interface RemoteSource {
  runner: ToolRunner;
  server: Server;
  close(): void;
}

/** Switchyard's own known_hosts, beside its database; the operator's ~/.ssh/known_hosts is only read. */
export const appKnownHostsPath = (dataDir: string): string => path.join(dataDir, 'known_hosts');

export function findServer(servers: Server[], wanted: string): Server | undefined {
  const ip = canonicalIp(wanted);
  return servers.find((s) => (ip !== null && s.ip === ip) || s.alias.toLowerCase() === wanted.toLowerCase());
}

export function sshTargetOf(server: Server): SshTarget {
  const { ssh } = server;
  return {
    id: server.id,
    host: ssh.host ?? server.ip,
    port: ssh.port,
    user: ssh.user,
    auth: ssh.auth,
    keyPath: ssh.keyPath,
    jumpHost: ssh.jumpHost,
  };
}

/** Opens the connection, or says which server is not in the fleet (a user error, not a failure). */
export async function openRemoteSource(
  wanted: string,
  openApp: () => HostApp,
  dataDir: string,
  io: Io,
  signal: AbortSignal,
): Promise<RemoteSource | { unknown: string }> {
  const app = openApp();
  let servers: Server[];
  try {
    const listed = await app.dispatch('fleet:list-servers', {});
    if (!listed.ok) throw new Error(listed.error.message);
    servers = listed.data as Server[];
  } finally {
    app.close();
  }
  const server = findServer(servers, wanted);
  if (!server) return { unknown: `No fleet server has the IP or alias "${wanted}" (see \`switchyard fleet list\`).` };

  // The SSH client is loaded only when a connection is really made, after the cheap checks:
  // local runs, and a mistyped server name, never pay for (or depend on) the ssh2 stack.
  const { connect } = await import('../services/ssh/connect');
  const home = os.homedir();
  const configFile = path.join(home, '.ssh', 'config');
  const conn = await connect(sshTargetOf(server), {
    hostKeys: createHostKeyStore({
      appKnownHostsPath: appKnownHostsPath(dataDir),
      userKnownHostsPath: path.join(home, '.ssh', 'known_hosts'),
    }),
    // The CLI cannot read the console's keychain: key files and the agent work, stored passwords do not.
    secrets: createMemorySecretStore(),
    sshConfig: existsSync(configFile) ? parseSshConfig(readFileSync(configFile, 'utf8')) : null,
    homeDir: home,
    signal,
    // No one to ask in a script: an unknown key is refused, never accepted silently.
    onUnknownHostKey: async (key) => {
      io.err(
        `switchyard: the host key of ${key.host}:${key.port} (${key.keyType} ${key.fingerprint}) is not on file. ` +
          `Connect once from the console to accept it, or add it to ${appKnownHostsPath(dataDir)} or ~/.ssh/known_hosts.\n`,
      );
      return 'refuse';
    },
  });
  return {
    server,
    runner: createRemoteRunner((argv, options) => exec(conn, argv, options), `${server.alias} (${conn.label})`),
    close: () => conn.close(),
  };
}
