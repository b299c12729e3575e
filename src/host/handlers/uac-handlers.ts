import type { uacMethods } from '../../contract/uac-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function uacHandlers({ uac }: HandlerDeps): Pick<Handlers, keyof typeof uacMethods> {
  return {
    'uac:get': ({ serverId }) => uac.get(serverId),
    'uac:set-upstreams': ({ serverId, upstreams }) => uac.setUpstreams(serverId, upstreams),
    'uac:status': ({ serverId }) => uac.status(serverId),
  };
}
