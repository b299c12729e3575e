import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppInfo } from '../contract/app';
import { createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';
import { openStore, type Store } from '../services/store/store';
import { checkDataFolder } from '../services/store/file-modes';
import { createFleetService } from '../services/fleet/fleet-service';
import { MonitoringService } from '../services/monitoring/monitoring-service';
import { systemClock, type Clock } from '../services/probes/clock';
import { createSnapshotsService } from '../services/snapshots/snapshots-service';
import type { UploadQuota } from '../services/snapshots/upload-quota';
import { createAppSshPool, sshTargetOf } from '../services/ssh/app-ssh';
import { createHostKeyPrompts } from '../services/ssh/host-key-prompts';
import { createRemoteRunner, type ToolRunner } from '../services/tools';
import { createToolsService } from '../services/tools/tools-service';
import { createActionsWiring, type ActionsHostOptions } from './actions-wiring';
import { createPlatformWiring } from './platform-wiring';
import { createCallsDispatcherWiring } from './calls-dispatcher-wiring';
import { createCertificatesApibanRegistrationsWiring } from './certificates-apiban-registrations-wiring';
import { createCertDeployWiring } from './cert-deploy-wiring';
import { createUacWiring } from './uac-wiring';
import { createMediaWiring } from './media-wiring';
import { createVantageWiring, type VantageWiring } from './vantage-wiring';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './event-bus';
import { createHandlers } from './handlers';
import { Background } from './background';
import { createSessionStore } from './session-store';
import { SessionSwitch } from './snapshot-session';
import { createAlertsRuntime, type AlertsRuntime, type AlertsRuntimeDeps } from '../services/alerts/alerts-runtime';
import { APIBAN_KEY_SECRET } from '../services/apiban/apiban-service';
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
  /** Every probe sample as it arrives (metrics); returns the unsubscribe. */
  onSample(listener: (sample: Sample) => void): () => void;
  /** Monitoring's view of each live server now (metrics); null while the live fleet is not probed (a snapshot on show). */
  latest(): ReturnType<MonitoringService['latest']> | null;
  info(): AppInfo;
  /** Stops background work (waiting for probes in flight when monitoring runs), then closes the store. */
  close(): Promise<void>;
}

export const DATABASE_FILE = 'switchyard.db';

/** The composition root: opens the store, builds the services, binds them to the contract. */
export function openHost(options: HostOptions): HostApp {
  const hostClock = options.clock ?? Date.now;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const liveFile = path.join(options.dataDir, DATABASE_FILE);
  const pinned = options.snapshot !== undefined;
  const liveStore = pinned
    ? null
    : openStore({ file: liveFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  // Made private when created; a folder or file someone opened up since is named, not changed.
  if (liveStore !== null) for (const warning of checkDataFolder(options.dataDir, liveFile)) log(warning);
  const bus = new EventBus();
  const readOnlyHost = options.readOnly === true || pinned;
  const loadPolling = options.actions?.background === true && !readOnlyHost;
  const monitoringOn = options.monitoring === true && !pinned;
  const alertsOn = (options.alerts ?? monitoringOn) && !readOnlyHost;
  const apibanOn = (options.apibanSchedule ?? monitoringOn) && !readOnlyHost;
  const vantageOn = (options.vantage ?? monitoringOn) && !pinned;
  const background = new Background(loadPolling || monitoringOn || alertsOn || apibanOn || vantageOn, log);
  let vantageWiring: VantageWiring | null = null;
  const sampleListeners = new Set<(sample: Sample) => void>();
  const sessions = new SessionSwitch({
    live: liveStore,
    ...(pinned ? { placeholder: openStore({ file: ':memory:' }) } : {}),
    bus,
    background,
    clock: hostClock,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    // Called only when a snapshot is about to open, long after the services below are built.
    busy: () => [...tools.running(), ...actions.handlerDeps.actions.running(), ...platform.deploy.running()],
  });
  // Every service reads the current session's store, and sees the snapshot's time as "now".
  const store = createSessionStore(() => sessions.store);
  const clock = (): number => sessions.snapshot?.meta.takenAt ?? hostClock();
  const monitoring = new MonitoringService({
    store,
    settings: () => fleet.settings.get(),
    clock: options.probeClock ?? systemClock(),
    version: appVersion(),
    log,
    onSamples: (payload) => bus.emit('monitoring:samples', payload),
    onStatusChanged: (payload) => bus.emit('monitoring:status-changed', payload),
    shownAt: () => sessions.snapshot?.meta.takenAt ?? null,
    observeSample: (sample) => {
      if (alerts.engine.running) alerts.engine.observe(sample);
      for (const listener of sampleListeners) listener(sample);
    },
  });
  const fleet = createFleetService({
    store,
    clock,
    emit: (entity) => {
      // Monitoring follows the fleet: servers added, edited, stopped, deleted; settings changed.
      if (entity === 'servers' || entity === 'all') monitoring.syncFleet();
      if (entity === 'settings' || entity === 'all') monitoring.reloadSettings();
      // Vantage points follow it too: dispatchers added, switches moved, RTP servers changed.
      if (entity === 'servers' || entity === 'clusters' || entity === 'rtp' || entity === 'all') vantageWiring?.vantage.resync();
      // Alert rules follow the fleet too: scopes, names in messages, paused servers.
      if (entity !== 'settings' && entity !== 'rtp') alerts.fleetChanged();
      bus.emit('fleet:changed', { entity });
    },
    // A snapshot shows the fleet as stored then, never the probes' view of the live fleet now.
    liveStatus: (id) => (sessions.snapshot === null ? monitoring.liveStatus(id) : null),
  });
  const readOnly = readOnlyHost;
  const info = (): AppInfo => ({
    name: 'Switchyard',
    version: appVersion(),
    mode: sessions.snapshot === null ? 'live' : 'snapshot',
    readOnly: readOnly || sessions.snapshot !== null,
    demo: options.demo === true && sessions.snapshot === null,
    dataDir: pinned ? null : options.dataDir,
    now: clock(),
    secretStorage: secrets.kind,
    snapshot: sessions.snapshotInfo(),
  });
  const snapshots = createSnapshotsService({
    dataDir: options.dataDir,
    liveFile,
    appVersion: appVersion(),
    // The same name action runs record as who asked (declared below; read only when saving).
    savedBy: () => actions.who.user,
    clock: hostClock,
    sessions,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    onProgress: (file, p, done) => bus.emit('snapshots:progress', { file, ...p, done }),
    ...(options.pickSnapshotFile ? { pickFile: options.pickSnapshotFile } : {}),
    ...(options.snapshotUploadQuota ? { uploadQuota: options.snapshotUploadQuota } : {}),
  });
  const secrets = options.secrets ?? createMemorySecretStore();
  const alerts = createAlertsRuntime({
    store,
    clock,
    secrets,
    version: appVersion(),
    who: () => actions.who.user,
    apibanKeySet: () => secrets.get(APIBAN_KEY_SECRET) !== null,
    notify: (push) => bus.emit('alerts:notify', push),
    emitChanged: (push) => bus.emit('alerts:changed', push),
    log,
    ...options.alertsRuntime,
  });
  const hostKeyPrompts = createHostKeyPrompts({
    onPrompt: (prompt) => bus.emit('ssh:host-key-prompt', prompt),
    onSettled: (promptId, outcome) => bus.emit('ssh:host-key-settled', { promptId, outcome }),
  });
  const sshPool = createAppSshPool({ dataDir: options.dataDir, secrets, prompts: hostKeyPrompts, ...(options.sshHomeDir ? { homeDir: options.sshHomeDir } : {}) });
  const tools = createToolsService({
    store,
    clock,
    emit: (update) => bus.emit('tools:run-update', update),
    serverById: (id) => store.servers.get(id) === null ? null : fleet.servers.get(id),
    remoteRunner: (server) => createRemoteRunner((argv, execOptions) => sshPool.exec(sshTargetOf(server), argv, execOptions), `${server.alias} (${server.ip})`),
    ...(options.localToolRunner ? { localRunner: options.localToolRunner } : {}),
    liveShown: () => sessions.snapshot === null,
    maxConcurrentRuns: () => fleet.settings.get().maxConcurrentToolRuns,
  });
  const callsDispatcher = createCallsDispatcherWiring({
    store, clock, bus, sshPool, recipesFile: options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json'),
    snapshotShown: () => sessions.snapshot !== null,
    probes: (ids) => monitoring.latest(ids),
  });
  const uacWiring = createUacWiring({
    store, clock, bus, sshPool, secrets, recipesFile: options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json'),
    snapshotShown: () => sessions.snapshot !== null,
  });
  const actions = createActionsWiring({
    store, clock, bus, sshPool, secrets, dataDir: options.dataDir, readOnly, log, ...options.actions, background: false,
    pollHooks: { ...callsDispatcher.hooks, readUac: (serverId) => uacWiring.uac.pollRead(serverId) },
    afterInstall: (server, run) => uacWiring.uac.push(server, run),
    afterInstallNote: (server) => uacWiring.uac.installNote(server),
    maintenance: alerts.maintenance,
    snapshotShown: () => sessions.snapshot !== null,
    onPoll: (serverId, ok, error, at) => {
      if (alerts.engine.running) alerts.engine.pollResult(serverId, ok, error, at);
    },
  });
  callsDispatcher.usageFrom((ids) => actions.handlerDeps.loads.usage(ids));
  background.add({ name: 'load polling', start: () => (loadPolling ? actions.handlerDeps.loads.start() : undefined), stop: () => actions.handlerDeps.loads.stop() });
  if (monitoringOn) background.add({ name: 'monitoring', start: () => monitoring.start(), stop: () => monitoring.stop() });
  if (alertsOn) background.add({ name: 'alerts', start: () => alerts.start(), stop: () => alerts.stop() });
  const certsApibanRegistrations = createCertificatesApibanRegistrationsWiring({ store, clock, bus, sshPool, secrets, recipesFile: options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json'), snapshotShown: () => sessions.snapshot !== null,
    log,
    ...(options.apibanScheduler ? { schedulerTiming: options.apibanScheduler } : {}),
    // A scheduled sync or apply that failed is an alert at once (and one that worked clears it), not at the next minute's check.
    onApibanRun: () => {
      if (alerts.engine.running) alerts.engine.checkPeriodic(clock());
    },
  });
  if (apibanOn) background.add({ name: 'APIBAN schedule', start: () => certsApibanRegistrations.apibanScheduler.start(), stop: () => certsApibanRegistrations.apibanScheduler.stop() });
  const certDeploy = createCertDeployWiring({
    store, clock, bus, sshPool, secrets, certificates: certsApibanRegistrations.certificates, log,
    recipesFile: options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json'),
    snapshotShown: () => sessions.snapshot !== null,
  });
  // Daily served-certificate checks and ACME renewal: a host that may change things does them.
  if ((monitoringOn || alertsOn) && !readOnlyHost) background.add(certDeploy.upkeep);
  const platform = createPlatformWiring({
    store, clock, bus, fleet, sshPool, secrets, recipesFile: options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json'),
    // The operator asked for the counts: read now, not from a recent read.
    registrationCount: async (id) => (await certsApibanRegistrations.registrations.forServer(id)).contactCount,
    snapshotShown: () => sessions.snapshot !== null,
    who: actions.who,
    probes: (ids) => monitoring.latest(ids),
  });
  const media = createMediaWiring({ store, clock, bus, sshPool, snapshotShown: () => sessions.snapshot !== null });
  vantageWiring = createVantageWiring({
    // Not fed to metrics or alerts: both key samples by server alone, and a path is not the server.
    store, clock: options.probeClock ?? systemClock(), bus, sshPool, prompts: hostKeyPrompts, log,
    ...(options.vantageBackoff ? { backoff: options.vantageBackoff } : {}),
  });
  if (vantageOn) background.add(vantageWiring.task);
  const dispatch = createDispatch(createHandlers({ fleet, info, tools, hostKeyPrompts, snapshots, monitoring, alerts, uac: uacWiring.uac, media, vantage: vantageWiring.vantage, ...actions.handlerDeps, dispatcherViews: callsDispatcher.dispatcherViews, ...platform, ...certsApibanRegistrations, certDeploy: certDeploy.certDeploy, acme: certDeploy.acme }), {
    readOnlyReason: () =>
      sessions.refusal() ??
      (readOnly ? 'This console is read-only (started with --read-only): nothing can be changed from here.' : null),
    // A `--read-only` host (a wall display) also refuses what the contract says has effects: files
    // written, processes, connections, the shared view. A host started on a snapshot has none of
    // the live fleet's to protect and keeps its own rules (its session refuses leaving it).
    hostReadOnlyReason: () =>
      options.readOnly === true ? 'This console is read-only (started with --read-only): nothing can be changed, run or switched from here.' : null,
    onInternalError: (method, error) => log(`[switchyard] ${method} failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
  const close = (): Promise<void> => {
    // Runs are cancelled and prompts refused first; their last writes find the store closed and are dropped.
    void tools.close();
    actions.close();
    callsDispatcher.close();
    hostKeyPrompts.close();
    sshPool.closeAll();
    const stopped = background.stop();
    const closeStores = () => {
      sessions.shutdown();
      liveStore?.close();
    };
    // Without background work everything closes at once, as one-shot commands expect; with it,
    // the probes in flight end, the last samples are written and alerts in flight are delivered
    // (or left pending for the next start) before the store closes.
    if (!monitoringOn && !alertsOn && !apibanOn && !vantageOn) {
      closeStores();
      return Promise.resolve();
    }
    const monitoringClosed = monitoringOn ? monitoring.close() : Promise.resolve();
    return Promise.all([stopped, monitoringClosed])
      .then(() => undefined)
      .catch((error: unknown) => log(`[switchyard] stopping background work failed: ${String(error)}`))
      .finally(closeStores);
  };
  if (options.snapshot !== undefined) {
    // Put on show once every service is built over the placeholder; a bad file closes everything.
    try {
      sessions.openAtStart(options.snapshot);
    } catch (error) {
      void close();
      throw error;
    }
  }
  void background.start();
  const onSample = (listener: (sample: Sample) => void): (() => void) => {
    sampleListeners.add(listener);
    return () => sampleListeners.delete(listener);
  };
  // Never the idle read of stored history monitoring falls back to: that is the snapshot's while one is shown.
  const latest = () => (monitoring.running ? monitoring.latest() : null);
  return { dispatch, events: bus, store, sessions, background, secrets, alerts, onSample, latest, info, close };
}

let cachedVersion: string | null = null;
export function appVersion(): string {
  if (cachedVersion === null) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
