import type { registrationsMethods } from '../../contract/registrations-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function registrationsHandlers({ registrations }: HandlerDeps): Pick<Handlers, keyof typeof registrationsMethods> {
  return {
    'registrations:for-server': ({ serverId }) => registrations.forServer(serverId),
    'registrations:lookup': ({ serverId, user }) => registrations.lookup(serverId, user),
  };
}
