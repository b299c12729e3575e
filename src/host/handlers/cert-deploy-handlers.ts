import type { certDeployMethods } from '../../contract/cert-deploy-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function certDeployHandlers({ certDeploy, acme }: HandlerDeps): Pick<Handlers, keyof typeof certDeployMethods> {
  return {
    'certs:install': ({ serverId }) => certDeploy.install(serverId),
    'certs:check': ({ serverId }) => certDeploy.check(serverId),
    'certs:deploy-status': ({ serverId }) => certDeploy.status(serverId),
    'certs:list-checks': () => certDeploy.list(),
    'acme:settings': () => acme.settings(),
    'acme:save-settings': (input) => acme.saveSettings(input),
    'acme:request': (input) => acme.request(input),
    'acme:list': () => acme.list(),
  };
}
