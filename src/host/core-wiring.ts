import path from 'node:path';
import { openStore, type Store } from '../services/store/store';
import { checkDataFolder } from '../services/store/file-modes';
import { createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';
import { Background } from './background';
import { EventBus } from './event-bus';
import { createSessionStore } from './session-store';
import { SessionSwitch } from './snapshot-session';

// The host's core, built first: the live store (or none on a snapshot), the event bus, the
// background work, the session switch between live fleet and snapshots, and which areas run.

export const DATABASE_FILE = 'switchyard.db';

/** What the core reads of the host's options (app.ts's HostOptions, which documents each). */
export interface CoreOptions {
  dataDir: string;
  readOnly?: boolean | undefined;
  clock?: (() => number) | undefined;
  nativeBinding?: string | undefined;
  log?: ((message: string) => void) | undefined;
  secrets?: SecretStore | undefined;
  actions?: { background?: boolean | undefined } | undefined;
  snapshot?: string | undefined;
  monitoring?: boolean | undefined;
  alerts?: boolean | undefined;
  apibanSchedule?: boolean | undefined;
  vantage?: boolean | undefined;
}

/** Which areas of the host run, decided once from the options. */
export interface HostFlags {
  /** No live data to protect (a snapshot) or `--read-only`: every mutating call refused. */
  readOnlyHost: boolean;
  /** Started on a snapshot file: the data folder's database is never opened. */
  pinned: boolean;
  loadPolling: boolean;
  monitoringOn: boolean;
  alertsOn: boolean;
  apibanOn: boolean;
  vantageOn: boolean;
}

export interface HostCore {
  flags: HostFlags;
  log(message: string): void;
  /** The wall clock; `clock` below is the one services read ("now" of the snapshot on show). */
  hostClock: () => number;
  clock: () => number;
  liveFile: string;
  liveStore: Store | null;
  bus: EventBus;
  background: Background;
  sessions: SessionSwitch;
  /** Every service reads the current session's store. */
  store: Store;
  secrets: SecretStore;
  /** Areas with work in flight name it here; a snapshot about to open lists what it would stop. */
  addBusy(source: () => string[]): void;
}

export function hostFlags(options: CoreOptions): HostFlags {
  const pinned = options.snapshot !== undefined;
  const readOnlyHost = options.readOnly === true || pinned;
  const monitoringOn = options.monitoring === true && !pinned;
  return {
    readOnlyHost,
    pinned,
    loadPolling: options.actions?.background === true && !readOnlyHost,
    monitoringOn,
    alertsOn: (options.alerts ?? monitoringOn) && !readOnlyHost,
    apibanOn: (options.apibanSchedule ?? monitoringOn) && !readOnlyHost,
    vantageOn: (options.vantage ?? monitoringOn) && !pinned,
  };
}

export function createCoreWiring(options: CoreOptions): HostCore {
  const flags = hostFlags(options);
  const hostClock = options.clock ?? Date.now;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const liveFile = path.join(options.dataDir, DATABASE_FILE);
  const liveStore = flags.pinned
    ? null
    : openStore({ file: liveFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  // Made private when created; a folder or file someone opened up since is named, not changed.
  if (liveStore !== null) for (const warning of checkDataFolder(options.dataDir, liveFile)) log(warning);
  const bus = new EventBus();
  const { loadPolling, monitoringOn, alertsOn, apibanOn, vantageOn } = flags;
  const background = new Background(loadPolling || monitoringOn || alertsOn || apibanOn || vantageOn, log);
  const busySources: (() => string[])[] = [];
  const sessions = new SessionSwitch({
    live: liveStore,
    ...(flags.pinned ? { placeholder: openStore({ file: ':memory:' }) } : {}),
    bus,
    background,
    clock: hostClock,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    // Asked only when a snapshot is about to open, long after every area has registered.
    busy: () => busySources.flatMap((source) => source()),
  });
  return {
    flags,
    log,
    hostClock,
    // Services see the snapshot's time as "now" while one is shown.
    clock: () => sessions.snapshot?.meta.takenAt ?? hostClock(),
    liveFile,
    liveStore,
    bus,
    background,
    sessions,
    store: createSessionStore(() => sessions.store),
    secrets: options.secrets ?? createMemorySecretStore(),
    addBusy: (source) => busySources.push(source),
  };
}
