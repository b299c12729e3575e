import type { InstallCommandView } from '../../contract/action-settings-methods';
import { notFound } from '../../domain/errors';
import { checkInstallCommand } from '../../domain/ssh/install-command';
import type { Store } from '../store/store';

// The install command Install Server runs: the fleet's, unless a server has its own. Both are
// checked when saved (an absolute path or an https URL, never shell text) and again when a run is
// planned, so a value edited into the database by hand is refused before it runs.

export function createInstallCommands(deps: { store: Store; clock: () => number; onChange?: () => void }) {
  const repo = deps.store.serverActions;
  const server = (id: string) => {
    const found = deps.store.servers.get(id);
    if (!found) throw notFound('Server', id);
    return found;
  };
  const effective = (serverId: string): { command: string | null; source: 'server' | 'fleet' | null } => {
    const own = repo.serverInstallCommand(serverId);
    if (own !== null) return { command: own, source: 'server' };
    const fleet = repo.fleetInstallCommand();
    return fleet === null ? { command: null, source: null } : { command: fleet, source: 'fleet' };
  };
  const view = (serverIds: readonly string[]): InstallCommandView => {
    const servers = [...new Set(serverIds)].map((id) => {
      const s = server(id);
      const { command, source } = effective(id);
      return { id, alias: s.alias, ip: s.ip, override: repo.serverInstallCommand(id), effective: command, source };
    });
    const distinct = new Set(servers.map((s) => s.effective));
    const only = distinct.size === 1 ? [...distinct][0] : undefined;
    return { fleet: repo.fleetInstallCommand(), servers, common: only ?? null };
  };

  return {
    view,
    /** What Install Server runs on this server, or null when nothing is set. */
    effective: (serverId: string): string | null => effective(serverId).command,
    set(serverId: string | null, command: string | null): InstallCommandView {
      if (serverId === null) {
        repo.setFleetInstallCommand(command === null ? null : checkInstallCommand(command, 'command', "The fleet's install command"));
      } else {
        const s = server(serverId);
        repo.setServerInstallCommand(
          serverId,
          command === null ? null : checkInstallCommand(command, 'command', `The install command of ${s.alias} (${s.ip})`),
          deps.clock(),
        );
      }
      deps.onChange?.();
      return view(serverId === null ? [] : [serverId]);
    },
  };
}

export type InstallCommands = ReturnType<typeof createInstallCommands>;
