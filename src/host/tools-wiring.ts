import { sshTargetOf } from '../services/ssh/app-ssh';
import { createRemoteRunner, type ToolRunner } from '../services/tools';
import { createToolsService, type ToolsService } from '../services/tools/tools-service';
import type { FleetService } from '../services/fleet/fleet-service';
import type { HostCore } from './core-wiring';
import type { SshWiring } from './ssh-wiring';

// Diagnostic tools (ping, mtr) for the composition root (app.ts): run here or on a server over
// the shared SSH pool, bounded by the fleet's settings. Runs in flight keep a snapshot from opening (see host-lifecycle.ts).

export function createToolsWiring(
  core: Pick<HostCore, 'store' | 'clock' | 'bus' | 'sessions'>,
  fleet: FleetService,
  ssh: Pick<SshWiring, 'sshPool'>,
  options: { localToolRunner?: ToolRunner | undefined },
): ToolsService {
  const { store, sessions } = core;
  const tools = createToolsService({
    store,
    clock: core.clock,
    emit: (update) => core.bus.emit('tools:run-update', update),
    serverById: (id) => (store.servers.get(id) === null ? null : fleet.servers.get(id)),
    remoteRunner: (server) =>
      createRemoteRunner((argv, execOptions) => ssh.sshPool.exec(sshTargetOf(server), argv, execOptions), `${server.alias} (${server.ip})`),
    ...(options.localToolRunner ? { localRunner: options.localToolRunner } : {}),
    liveShown: () => sessions.snapshot === null,
    maxConcurrentRuns: () => fleet.settings.get().maxConcurrentToolRuns,
  });
  return tools;
}
