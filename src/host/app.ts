import { readFileSync } from 'node:fs';
import type { AppInfo } from '../contract/app';
import type { SecretStore } from '../services/secrets/secret-store';
import type { Store } from '../services/store/store';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import { systemClock, type Clock } from '../services/probes/clock';
import type { UploadQuota } from '../services/snapshots/upload-quota';
import type { ToolRunner } from '../services/tools';
import { actionsWho, type ActionsHostOptions } from './actions-wiring';
import { createAccountsWiring } from './accounts-wiring';
import type { AccountsService } from '../services/accounts/accounts-service';
import { createAlertsWiring } from './alerts-wiring';
import { actorName, createAuditWiring } from './audit-wiring';
import type { AuditService } from '../services/audit/audit-log';
import { createCoreWiring } from './core-wiring';
import { createHostDispatch, hostInfo } from './dispatch-wiring';
import type { Dispatch } from './dispatch';
import type { EventBus } from './event-bus';
import type { Background } from './background';
import { createFleetWiring } from './fleet-wiring';
import { closeHost, registerLifecycle } from './lifecycle-wiring';
import { createMonitoringWiring } from './monitoring-wiring';
import { createServerWorkWiring } from './server-work-wiring';
import type { SessionSwitch } from './snapshot-session';
import { createSnapshotsWiring } from './snapshots-wiring';
import { createSshWiring } from './ssh-wiring';
import { createToolsWiring } from './tools-wiring';
import { createVantageWiring } from './vantage-wiring';
import type { AlertsRuntime, AlertsRuntimeDeps } from '../services/alerts/alerts-runtime';
import type { Sample } from '../domain/monitoring/sample';

export interface HostOptions {
  /** Folder holding `switchyard.db` (the desktop app passes Electron's userData). */
  dataDir: string;
  /** A wall display: every mutating call refused. */
  readOnly?: boolean;
  clock?: () => number;
  /** Path of a better-sqlite3 build for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
  /** Where unexpected errors are logged. */
  log?: (message: string) => void;
  /** Passwords and passphrases: Electron's safeStorage in the app, memory only in the web host. */
  secrets?: SecretStore;
  /** Whose ~/.ssh (config, known_hosts) SSH reads; the process owner's by default. */
  sshHomeDir?: string;
  /** Runs ping/mtr on this workstation; spawns the real tools by default (tests watch it). */
  localToolRunner?: ToolRunner;
  /** Server actions: who is asking, the recipe override, background load polling. */
  actions?: ActionsHostOptions;
  /**
   * Open this snapshot file read-only instead of the live fleet (`serve --snapshot`): the data
   * folder's database is not opened at all, nothing runs in the background, nothing can change.
   */
  snapshot?: string;
  /**
   * Probe the fleet continuously (`serve` and the desktop app; one-shot CLI commands leave it
   * off). Runs in a read-only wall display too, never on a snapshot.
   */
  monitoring?: boolean;
  /** The probes' clock (tests inject one); the system clock by default. */
  probeClock?: Clock;
  /** `switchyard demo`: the UI labels the live fleet as the demo one. */
  demo?: boolean;
  /** The desktop shell's file dialog for "Open snapshot file…" (absent in the web host). */
  pickSnapshotFile?: () => Promise<string | null>;
  /** How much browsers may upload into the snapshots folder (files, bytes); sensible defaults otherwise. */
  snapshotUploadQuota?: Partial<UploadQuota>;
  /**
   * Evaluate alert rules and deliver alerts (default: whenever the fleet is monitored). Never in a
   * read-only wall display or on a snapshot: the host that probes and may change things alerts.
   */
  alerts?: boolean;
  /**
   * Sync APIBAN and apply it to the chosen servers on its schedule (default: whenever the fleet is
   * monitored). Never in a read-only wall display or on a snapshot, like alerts.
   */
  apibanSchedule?: boolean;
  /** How often the APIBAN schedule looks at most and at least (tests drive a manual clock). */
  apibanScheduler?: { maxWaitMs?: number; minWaitMs?: number };
  /** Alert delivery overrides for tests (transports, tick). */
  /**
   * Run the vantage streams (fping on chosen servers over SSH) when the vantage settings turn them
   * on (default: whenever the fleet is monitored). Never on a snapshot.
   */
  vantage?: boolean;
  /** Vantage reconnect delays (tests shorten them). */
  vantageBackoff?: { baseMs?: number; maxMs?: number };
  alertsRuntime?: Partial<Pick<AlertsRuntimeDeps, 'transportOf' | 'tickMs' | 'periodicMs' | 'stopGraceMs' | 'quietMs' | 'maxWaitMs'>>;
}

export { assertSecretKey, createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';

export interface HostApp {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  /** The store of what the console shows now: the live fleet, or the open snapshot. */
  readonly store: Store;
  /** Which fleet is shown, and the switch between live and snapshots. */
  readonly sessions: SessionSwitch;
  /** Probes, load polling, scheduled work: running only while the live fleet is shown. */
  readonly background: Background;
  readonly secrets: SecretStore;
  /** Alerting: rules, alerts, holds, channels (running only where `alerts` is on). */
  readonly alerts: AlertsRuntime;
  /** Who did what: sign-ins and account changes record here; every change made through dispatch is recorded by itself. */
  readonly audit: AuditService;
  /** A team host's accounts (the web host's sign-in checks them; admins manage them through `accounts:*`). */
  readonly accounts: AccountsService;
  /** Every probe sample as it arrives (metrics); returns the unsubscribe. */
  onSample(listener: (sample: Sample) => void): () => void;
  /** Monitoring's view of each live server now (metrics); null while the live fleet is not probed (a snapshot on show). */
  latest(): ReturnType<MonitoringService['latest']> | null;
  info(): AppInfo;
  /** Stops background work (waiting for probes in flight when monitoring runs), then closes the store. */
  close(): Promise<void>;
}

export { DATABASE_FILE } from './core-wiring';

/**
 * The composition root: opens the store, builds each area in its own wiring (in dependency order,
 * each before its first use), binds them to the contract. Areas that follow the fleet subscribe to
 * its change hook; alerts and metrics subscribe to monitoring's samples.
 */
export function openHost(options: HostOptions): HostApp {
  const version = appVersion();
  const core = createCoreWiring(options);
  const fleetWiring = createFleetWiring(core);
  const { fleet } = fleetWiring;
  const monitoringWiring = createMonitoringWiring(core, fleetWiring, { probeClock: options.probeClock, version });
  const { monitoring } = monitoringWiring;
  const ssh = createSshWiring(core, options);
  const vantage = createVantageWiring({
    // Not fed to metrics or alerts: both key samples by server alone, and a path is not the server.
    store: core.store,
    clock: options.probeClock ?? systemClock(),
    bus: core.bus,
    sshPool: ssh.sshPool,
    prompts: ssh.hostKeyPrompts,
    log: core.log,
    ...(options.vantageBackoff ? { backoff: options.vantageBackoff } : {}),
    onFleetChanged: fleetWiring.onChanged,
  });
  // Who runs actions from this console; alerts and snapshots record the same name.
  const who = actionsWho(options.actions);
  const alerts = createAlertsWiring(core, fleetWiring, monitoringWiring, {
    version,
    // The signed-in account on a team host; the OS user at a single-seat console.
    who: () => actorName(who.user),
    alertsRuntime: options.alertsRuntime,
  });
  const snapshots = createSnapshotsWiring(core, options, { version, savedBy: () => actorName(who.user) });
  const tools = createToolsWiring(core, fleet, ssh, options);
  const work = createServerWorkWiring(core, { fleet, monitoring, alerts, ssh }, options);
  const { audit, audited } = createAuditWiring(core);
  const accounts = createAccountsWiring(core, audit);
  const areas = { fleet, monitoring, alerts, snapshots, tools, ssh, vantage, work, audit, accounts };
  registerLifecycle(core, areas);
  const info = hostInfo(core, options, version);
  const dispatch = audited(createHostDispatch(core, options, info, areas));
  const close = closeHost(core, areas);
  if (options.snapshot !== undefined) {
    // Put on show once every service is built over the placeholder; a bad file closes everything.
    try {
      core.sessions.openAtStart(options.snapshot);
    } catch (error) {
      void close();
      throw error;
    }
  }
  void core.background.start();
  // Never the idle read of stored history monitoring falls back to: that is the snapshot's while one is shown.
  const latest = () => (monitoring.running ? monitoring.latest() : null);
  const { bus: events, store, sessions, background, secrets } = core;
  return {
    dispatch,
    events,
    store,
    sessions,
    background,
    secrets,
    alerts,
    audit,
    accounts,
    onSample: monitoringWiring.onSample,
    latest,
    info,
    close,
  };
}

let cachedVersion: string | null = null;
export function appVersion(): string {
  if (cachedVersion === null) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
