import { createAppSshPool } from '../services/ssh/app-ssh';
import { createHostKeyPrompts, type HostKeyPrompts } from '../services/ssh/host-key-prompts';
import type { SshPool } from '../services/ssh/pool';
import type { HostCore } from './core-wiring';

// One SSH pool for every area, with host-key prompts pushed to the UI and their outcomes after.

export interface SshWiring {
  hostKeyPrompts: HostKeyPrompts;
  sshPool: SshPool;
}

export function createSshWiring(
  core: Pick<HostCore, 'bus' | 'secrets'>,
  options: { dataDir: string; sshHomeDir?: string | undefined },
): SshWiring {
  const { bus } = core;
  const hostKeyPrompts = createHostKeyPrompts({
    onPrompt: (prompt) => bus.emit('ssh:host-key-prompt', prompt),
    onSettled: (promptId, outcome) => bus.emit('ssh:host-key-settled', { promptId, outcome }),
  });
  const sshPool = createAppSshPool({
    dataDir: options.dataDir,
    secrets: core.secrets,
    prompts: hostKeyPrompts,
    ...(options.sshHomeDir ? { homeDir: options.sshHomeDir } : {}),
  });
  return { hostKeyPrompts, sshPool };
}
