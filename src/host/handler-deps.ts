import type { AppInfo } from '../contract/app';
import type { ActionsService } from '../services/actions/actions-service';
import type { InstallCommands } from '../services/actions/install-commands';
import type { PowerService } from '../services/power/power-service';
import type { UacService } from '../services/uac/uac-service';
import type { ApibanService } from '../services/apiban/apiban-service';
import type { CertificateService } from '../services/certificates/certificate-service';
import type { CertDeployService } from '../services/certificates/deploy-service';
import type { AcmeService } from '../services/acme/acme-service';
import type { RegistrationsService } from '../services/registrations/registrations-service';
import type { LoadPoller } from '../services/actions/load-poller';
import type { DispatcherViewService } from '../services/dispatcher/dispatcher-view-service';
import type { FleetService } from '../services/fleet/fleet-service';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import type { SnapshotsService } from '../services/snapshots/snapshots-service';
import type { DeployService } from '../services/platform/deploy-service';
import type { PlatformService } from '../services/platform/platform-service';
import type { ServerSecrets } from '../services/ssh/server-secrets';
import type { HostKeyPrompts } from '../services/ssh/host-key-prompts';
import type { ToolsService } from '../services/tools/tools-service';
import type { AlertsRuntime } from '../services/alerts/alerts-runtime';
import type { MediaService } from '../services/media/media-service';
import type { VantageService } from '../services/vantage/vantage-service';
import type { AuditService } from '../services/audit/audit-log';
import type { AccountsService } from '../services/accounts/accounts-service';

/** Every service the host wires, one field per area: what the handlers are bound to. */
export interface HandlerDeps {
  fleet: FleetService;
  info: () => AppInfo;
  actions: ActionsService;
  /** The install command Install Server runs: the fleet's, or a server's own. */
  installCommands: InstallCommands;
  /** Out-of-band power methods, their passwords and power status. */
  power: PowerService;
  /** UAC Auth: upstream registrations per server, their passwords and live state. */
  uac: UacService;
  /** Load history, and live calls and their rate from the last polls. */
  loads: Pick<LoadPoller, 'history' | 'usage'>;
  /** Each dispatcher's own view of its destinations. */
  dispatcherViews: DispatcherViewService;
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
  /** Certificates installed on servers and checked by TLS handshakes. */
  certDeploy: CertDeployService;
  acme: AcmeService;
  apiban: ApibanService;
  /** Registered user locations read over SSH; their counts feed the keepalive overhead. */
  registrations: RegistrationsService;
  /** Alert rules, alerts, silences, maintenance, channels and routes. */
  alerts: AlertsRuntime;
  /** Media zones of servers and the Media path measurements. */
  media: MediaService;
  /** Probes from the servers' own vantage points: settings, streams, sources. */
  vantage: VantageService;
  /** Who did what: the audit log's lines, read and exported. */
  audit: AuditService;
  /** A team host's accounts: who may sign in, with which role. */
  accounts: AccountsService;
}
