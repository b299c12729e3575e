// The host's one way to reach fleet servers: a pool of verified connections that every service
// (tools, actions, load polls) shares. Host keys are checked against Switchyard's own known_hosts
// beside its database and the operator's ~/.ssh/known_hosts (read only); an unknown key is put to
// the operator through the prompt broker; passwords come from the host's secret store.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from '../../contract/fleet';
import type { SecretStore } from '../secrets/secret-store';
import { connect, type ConnectTimeouts } from './connect';
import { createHostKeyStore } from './host-keys';
import type { HostKeyPrompts } from './host-key-prompts';
import { createSshPool, type SshPool } from './pool';
import { parseSshConfig, type SshTarget } from './ssh-target';

export interface AppSshOptions {
  dataDir: string;
  secrets: SecretStore;
  prompts: HostKeyPrompts;
  /** Whose ~/.ssh (config, known_hosts) is read; the process owner's by default. */
  homeDir?: string;
  timeouts?: ConnectTimeouts;
}

/** Switchyard's own known_hosts, beside its database. */
export const appKnownHostsFile = (dataDir: string): string => path.join(dataDir, 'known_hosts');

/** How a fleet server is reached: its SSH settings, its IP when no host is set. */
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

export function createAppSshPool(options: AppSshOptions): SshPool {
  const home = options.homeDir ?? os.homedir();
  const hostKeys = createHostKeyStore({
    appKnownHostsPath: appKnownHostsFile(options.dataDir),
    userKnownHostsPath: path.join(home, '.ssh', 'known_hosts'),
  });
  // ~/.ssh/config is read at each connect, so an edit applies to the next connection.
  const readConfig = () => {
    const file = path.join(home, '.ssh', 'config');
    return existsSync(file) ? parseSshConfig(readFileSync(file, 'utf8')) : null;
  };
  return createSshPool({
    // Keyed by everything that decides where a connection goes, so an edited server reconnects.
    keyOf: (t) => [t.id, t.host, t.port, t.user, t.auth, t.keyPath, t.jumpHost].join('|'),
    open: (target) =>
      connect(target, {
        hostKeys,
        secrets: options.secrets,
        sshConfig: readConfig(),
        homeDir: home,
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
        onUnknownHostKey: (key) => options.prompts.ask(key),
      }),
  });
}
