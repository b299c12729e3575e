import { mergeDisjoint } from '../contract/merge-disjoint';
import type { HandlerDeps } from './handler-deps';
import type { Handlers } from './dispatch';
import { actionsHandlers } from './handlers/actions-handlers';
import { serverActionsHandlers } from './handlers/server-actions-handlers';
import { apibanHandlers } from './handlers/apiban-handlers';
import { certificatesHandlers } from './handlers/certificates-handlers';
import { certDeployHandlers } from './handlers/cert-deploy-handlers';
import { registrationsHandlers } from './handlers/registrations-handlers';
import { uacHandlers } from './handlers/uac-handlers';
import { callsDispatcherHandlers } from './handlers/calls-dispatcher-handlers';
import { fleetHandlers } from './handlers/fleet-handlers';
import { monitoringHandlers } from './handlers/monitoring-handlers';
import { snapshotsHandlers } from './handlers/snapshots-handlers';
import { platformHandlers } from './handlers/platform-handlers';
import { toolsHandlers } from './handlers/tools-handlers';
import { alertsHandlers } from './handlers/alerts-handlers';
import { vantageHandlers } from './handlers/vantage-handlers';
import { mediaHandlers } from './handlers/media-handlers';
import { auditHandlers } from './handlers/audit-handlers';
import { accountsHandlers } from './handlers/accounts-handlers';

export type { HandlerDeps };

/**
 * The contract bound to the services, one file per area, each line calling a service and holding
 * no logic of its own. The `Handlers` type makes a method without a handler a compile error; a
 * method handled by two areas throws here (merge-disjoint.ts) instead of one silently winning.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  return mergeDisjoint('host handlers', {
    fleetHandlers: fleetHandlers(deps),
    actionsHandlers: actionsHandlers(deps),
    serverActionsHandlers: serverActionsHandlers(deps),
    toolsHandlers: toolsHandlers(deps),
    snapshotsHandlers: snapshotsHandlers(deps),
    platformHandlers: platformHandlers(deps),
    monitoringHandlers: monitoringHandlers(deps),
    certificatesHandlers: certificatesHandlers(deps),
    certDeployHandlers: certDeployHandlers(deps),
    apibanHandlers: apibanHandlers(deps),
    registrationsHandlers: registrationsHandlers(deps),
    uacHandlers: uacHandlers(deps),
    callsDispatcherHandlers: callsDispatcherHandlers(deps),
    alertsHandlers: alertsHandlers(deps),
    vantageHandlers: vantageHandlers(deps),
    mediaHandlers: mediaHandlers(deps),
    auditHandlers: auditHandlers(deps),
    accountsHandlers: accountsHandlers(deps),
  });
}
