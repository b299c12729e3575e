import type { actionsMethods } from '../../contract/actions-methods';
import type { sshSecretMethods } from '../../contract/ssh-secret-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

type Area = keyof typeof actionsMethods | keyof typeof sshSecretMethods;

export function actionsHandlers({ actions, serverSecrets, loads }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'actions:plan': (input) => actions.plan(input),
    'actions:run': (input) => actions.run(input),
    'actions:cancel': ({ runId }) => actions.cancel(runId),
    'actions:list-runs': (filter) => actions.listRuns(filter),
    'actions:get-run': ({ id, outputLimit }) => actions.getRun(id, outputLimit),
    'actions:export-runs': ({ format, filter }) => actions.exportRuns(format, filter),
    'actions:server-load': ({ serverId, from, to }) => loads.history(serverId, from, to),

    'ssh:set-secret': ({ serverId, kind, value }) => serverSecrets.set(serverId, kind, value),
    'ssh:clear-secret': ({ serverId, kind }) => serverSecrets.clear(serverId, kind),
    'ssh:secret-status': ({ serverId }) => serverSecrets.status(serverId),
  };
}
