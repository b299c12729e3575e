import type { OutOfBandMethod, PowerMethodView, PowerStatus } from '../../contract/power-methods';
import { DomainError, notFound } from '../../domain/errors';
import { checkPowerMethod, powerCall } from '../../domain/power/power-method';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';
import { powerPasswordKey, type PowerRunner } from './power-runner';

// A server's out-of-band method and its IPMI password. The method goes to SQLite (no secret in
// it); the password to the secret store only, and answers say only whether one is set.

export interface PowerServiceDeps {
  store: Store;
  clock: () => number;
  secrets: SecretStore;
  runner: PowerRunner;
  /** A snapshot's servers are history: their controllers are not asked anything. */
  snapshotShown?: () => boolean;
  /** The fleet changed (the menus re-read which actions are available). */
  onChange?: (serverId: string) => void;
  /** How long one status read may take (the recipe book's per-call timeout); 20 s by default. */
  statusTimeoutSec?: () => number;
}

export function createPowerService(deps: PowerServiceDeps) {
  const server = (id: string) => {
    const found = deps.store.servers.get(id);
    if (!found) throw notFound('Server', id);
    return found;
  };
  const view = (serverId: string): PowerMethodView => {
    server(serverId);
    return {
      serverId,
      method: deps.store.serverActions.powerMethod(serverId),
      passwordSet: deps.secrets.get(powerPasswordKey(serverId)) !== null,
      storage: deps.secrets.kind,
    };
  };
  const changed = (serverId: string): PowerMethodView => {
    deps.onChange?.(serverId);
    return view(serverId);
  };

  return {
    get: view,
    setMethod(serverId: string, method: OutOfBandMethod | null): PowerMethodView {
      server(serverId);
      if (method !== null) checkPowerMethod(method);
      deps.store.serverActions.setPowerMethod(serverId, method, deps.clock());
      // No method, no use for its password: it is not left behind in the secret store.
      if (method === null || method.method !== 'ipmi') deps.secrets.delete(powerPasswordKey(serverId));
      return changed(serverId);
    },
    setPassword(serverId: string, password: string): PowerMethodView {
      const method = deps.store.serverActions.powerMethod(server(serverId).id);
      if (method?.method !== 'ipmi') {
        throw new DomainError(
          'invalid-input',
          'Only IPMI over LAN uses a password here: choose IPMI and save the BMC address and user first.',
          { field: 'password' },
        );
      }
      deps.secrets.set(powerPasswordKey(serverId), password);
      return changed(serverId);
    },
    clearPassword(serverId: string): PowerMethodView {
      server(serverId);
      deps.secrets.delete(powerPasswordKey(serverId));
      return changed(serverId);
    },
    async status(serverId: string): Promise<PowerStatus> {
      if (deps.snapshotShown?.() === true) {
        throw new DomainError(
          'conflict',
          "This console shows a snapshot: its servers' power controllers are not asked anything. Return to the live fleet to read the power state.",
        );
      }
      const target = server(serverId);
      const method = deps.store.serverActions.powerMethod(serverId);
      if (method === null)
        throw new DomainError('invalid-input', `${target.alias} (${target.ip}) has no out-of-band method: set one first.`, {
          field: 'method',
        });
      const call = powerCall(method, 'status', target);
      if (method.method === 'ipmi' && deps.secrets.get(powerPasswordKey(serverId)) === null) {
        throw new DomainError(
          'invalid-input',
          `${target.alias} (${target.ip}): no IPMI password is stored for user "${method.user}": set it first.`,
          { field: 'password' },
        );
      }
      const timeoutSec = deps.statusTimeoutSec?.() ?? 20;
      const read = await deps.runner.status(target, method, call, timeoutSec, new AbortController().signal);
      return {
        state: read.state,
        command: call.line,
        output: read.output,
        error: read.problem?.message ?? null,
        field: read.problem?.field ?? null,
        at: deps.clock(),
      };
    },
  };
}

export type PowerService = ReturnType<typeof createPowerService>;
