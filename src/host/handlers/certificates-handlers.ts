import type { certificatesMethods } from '../../contract/certificates-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handlers';

export function certificatesHandlers({ certificates }: HandlerDeps): Pick<Handlers, keyof typeof certificatesMethods> {
  return {
    'certs:import': (input) => certificates.import(input),
    'certs:list': () => certificates.list(),
    'certs:get': ({ id }) => certificates.get(id),
    'certs:delete': ({ id, assigned }) => certificates.delete(id, assigned),
    'certs:assign': (input) => certificates.assign(input),
    'certs:unassign': (input) => certificates.unassign(input),
    'certs:for-server': ({ serverId }) => certificates.forServer(serverId),
  };
}
