import type { AppInfo } from '../contract/app';
import type { ActionsService } from '../services/actions/actions-service';
import type { ApibanService } from '../services/apiban/apiban-service';
import type { CertificateService } from '../services/certificates/certificate-service';
import type { RegistrationsService } from '../services/registrations/registrations-service';
import type { LoadPoller } from '../services/actions/load-poller';
import type { FleetService } from '../services/fleet/fleet-service';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import type { SnapshotsService } from '../services/snapshots/snapshots-service';
import type { DeployService } from '../services/platform/deploy-service';
import type { PlatformService } from '../services/platform/platform-service';
import type { ServerSecrets } from '../services/ssh/server-secrets';
import type { HostKeyPrompts } from '../services/ssh/host-key-prompts';
import type { ToolsService } from '../services/tools/tools-service';
import type { AlertsRuntime } from '../services/alerts/alerts-runtime';
import type { Handlers } from './dispatch';
import { actionsHandlers } from './handlers/actions-handlers';
import { apibanHandlers } from './handlers/apiban-handlers';
import { certificatesHandlers } from './handlers/certificates-handlers';
import { registrationsHandlers } from './handlers/registrations-handlers';
import { fleetHandlers } from './handlers/fleet-handlers';
import { monitoringHandlers } from './handlers/monitoring-handlers';
import { snapshotsHandlers } from './handlers/snapshots-handlers';
import { platformHandlers } from './handlers/platform-handlers';
import { toolsHandlers } from './handlers/tools-handlers';
import { alertsHandlers } from './handlers/alerts-handlers';

export interface HandlerDeps {
  fleet: FleetService;
  info: () => AppInfo;
  actions: ActionsService;
  loads: Pick<LoadPoller, 'history'>;
  serverSecrets: ServerSecrets;
  tools: ToolsService;
  /** Unknown SSH host keys waiting for the operator; shared by every service that connects. */
  hostKeyPrompts: HostKeyPrompts;
  snapshots: SnapshotsService;
  /** Limits, failover, keepalive and the advisor over the fleet. */
  platform: PlatformService;
  deploy: DeployService;
  monitoring: MonitoringService;
  certificates: CertificateService;
  apiban: ApibanService;
  /** Registered user locations read over SSH; their counts feed the keepalive overhead. */
  registrations: RegistrationsService;
  /** Alert rules, alerts, silences, maintenance, channels and routes. */
  alerts: AlertsRuntime;
}

/**
 * The contract bound to the services, one file per area, each line calling a service and holding
 * no logic of its own. The `Handlers` type makes a method without a handler a compile error.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...fleetHandlers(deps),
    ...actionsHandlers(deps),
    ...toolsHandlers(deps),
    ...snapshotsHandlers(deps),
    ...platformHandlers(deps),
    ...monitoringHandlers(deps),
    ...certificatesHandlers(deps),
    ...apibanHandlers(deps),
    ...registrationsHandlers(deps),
    ...alertsHandlers(deps),
  };
}
