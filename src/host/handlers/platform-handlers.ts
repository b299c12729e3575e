import type { HandlerDeps } from '../handler-deps';
import type { Handlers } from '../dispatch';
import type { platformMethods } from '../../contract/platform-methods';

export function platformHandlers({ platform, deploy }: HandlerDeps): Pick<Handlers, keyof typeof platformMethods> {
  return {
    'platform:limits': (allowance) => platform.limits(allowance),
    'platform:calculate': ({ allowance, changes }) => platform.calculate(allowance, changes),
    'platform:failover': () => platform.failover(),
    'platform:keepalive': ({ fallbackRegistrations, intervalSec, refresh }) =>
      platform.keepalive(fallbackRegistrations, intervalSec, refresh),
    'platform:advise': () => platform.advise(),
    'platform:deploy-check': () => deploy.check(),
    'platform:deploy': (request) => deploy.start(request),
    'platform:deploy-status': ({ deployId }) => deploy.status(deployId),
  };
}
