import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemorySecretStore } from '../../src/services/secrets/secret-store';
import type { ConnectOptions, HostKeyAnswer } from '../../src/services/ssh/connect';
import { createHostKeyStore, type PresentedHostKey } from '../../src/services/ssh/host-keys';
import type { SshTarget } from '../../src/services/ssh/ssh-target';
import { fixture, TEST_USER } from './sshd';

// Connect options for tests: known_hosts files in a temp folder (never the developer's own
// ~/.ssh), a memory secret store, and an unknown-key answer chosen by the test.

export interface ClientSetup {
  dir: string;
  appKnownHosts: string;
  userKnownHosts: string;
  prompts: PresentedHostKey[];
  options(overrides?: Partial<ConnectOptions>): ConnectOptions;
  cleanup(): void;
}

export function clientSetup(answer: HostKeyAnswer | ((key: PresentedHostKey) => Promise<HostKeyAnswer>) = 'accept'): ClientSetup {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ssh-client-'));
  const appKnownHosts = path.join(dir, 'app', 'known_hosts');
  const userKnownHosts = path.join(dir, 'user-known_hosts');
  const prompts: PresentedHostKey[] = [];
  const secrets = createMemorySecretStore();
  return {
    dir,
    appKnownHosts,
    userKnownHosts,
    prompts,
    options(overrides = {}) {
      return {
        hostKeys: createHostKeyStore({ appKnownHostsPath: appKnownHosts, userKnownHostsPath: userKnownHosts }),
        secrets,
        sshConfig: null,
        timeouts: { connectMs: 15_000 },
        homeDir: dir,
        env: {},
        onUnknownHostKey: (key) => {
          prompts.push(key);
          return typeof answer === 'function' ? answer(key) : Promise.resolve(answer);
        },
        ...overrides,
      };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function keyTarget(host: string, port: number, overrides: Partial<SshTarget> = {}): SshTarget {
  return { id: 'srv-test', host, port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null, ...overrides };
}
