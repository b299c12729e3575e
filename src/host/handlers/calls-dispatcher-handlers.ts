import type { dispatcherMethods } from '../../contract/dispatcher-methods';
import type { loadMethods } from '../../contract/load-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function callsDispatcherHandlers({
  loads,
  dispatcherViews,
}: HandlerDeps): Pick<Handlers, keyof typeof loadMethods | keyof typeof dispatcherMethods> {
  return {
    'load:list-usage': () => ({ servers: loads.usage() }),
    'dispatcher:get-view': ({ serverId }) => dispatcherViews.view(serverId),
    'dispatcher:read-view': ({ serverId }) => dispatcherViews.read(serverId),
  };
}
