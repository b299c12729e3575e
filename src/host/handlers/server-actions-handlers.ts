import type { actionSettingsMethods } from '../../contract/action-settings-methods';
import type { powerMethods } from '../../contract/power-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

type Area = keyof typeof actionSettingsMethods | keyof typeof powerMethods;

export function serverActionsHandlers({ actions, installCommands, power }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'actions:install-command': ({ serverIds }) => installCommands.view(serverIds),
    'actions:set-install-command': ({ serverId, command }) => installCommands.set(serverId, command),
    'actions:availability': ({ serverIds }) => ({ actions: actions.availability(serverIds) }),
    'actions:pending-resizes': () => ({ resizes: actions.pendingResizes() }),

    'power:get-method': ({ serverId }) => power.get(serverId),
    'power:set-method': ({ serverId, method }) => power.setMethod(serverId, method),
    'power:set-password': ({ serverId, password }) => power.setPassword(serverId, password),
    'power:clear-password': ({ serverId }) => power.clearPassword(serverId),
    'power:status': ({ serverId }) => power.status(serverId),
  };
}
