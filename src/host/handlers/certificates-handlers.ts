import type { certificatesMethods } from '../../contract/certificates-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function certificatesHandlers({ certificates, certDeploy }: HandlerDeps): Pick<Handlers, keyof typeof certificatesMethods> {
  return {
    'certs:import': (input) => certificates.import(input),
    'certs:list': () => certificates.list(),
    'certs:get': ({ id }) => certificates.get(id),
    // Deleting an assigned certificate rewrites the TLS files of the servers that still have others.
    'certs:delete': ({ id, assigned }) => {
      const servers = certificates.get(id).assignments.map((a) => a.serverId);
      const result = certificates.delete(id, assigned);
      for (const serverId of new Set(servers)) {
        if (certificates.forServer(serverId).assignments.length > 0) certDeploy.installInBackground(serverId);
      }
      return result;
    },
    // Stored first (refused as a whole when it clashes); the install runs on and reports progress.
    'certs:assign': ({ install, ...input }) => {
      const result = certificates.assign(input);
      if (install) certDeploy.installInBackground(input.serverId);
      return result;
    },
    // Removing the last certificate leaves the server's TLS files as they are: Kamailio needs a default one.
    'certs:unassign': ({ install, ...input }) => {
      const result = certificates.unassign(input);
      if (install && result.assignments.length > 0) certDeploy.installInBackground(input.serverId);
      return result;
    },
    'certs:for-server': ({ serverId }) => certificates.forServer(serverId),
  };
}
