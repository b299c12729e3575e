import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppInfo } from '../contract/app';
import { createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';
import { openStore, type Store } from '../services/store/store';
import { createFleetService } from '../services/fleet/fleet-service';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './event-bus';
import { createHandlers } from './handlers';

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
}

export { assertSecretKey, createMemorySecretStore, type SecretStore } from '../services/secrets/secret-store';

export interface HostApp {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly store: Store;
  readonly secrets: SecretStore;
  info(): AppInfo;
  close(): void;
}

export const DATABASE_FILE = 'switchyard.db';

/** The composition root: opens the store, builds the services, binds them to the contract. */
export function openHost(options: HostOptions): HostApp {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const store = openStore({
    file: path.join(options.dataDir, DATABASE_FILE),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const bus = new EventBus();
  const fleet = createFleetService({ store, clock, emit: (entity) => bus.emit('fleet:changed', { entity }) });
  const readOnly = options.readOnly === true;
  const info = (): AppInfo => ({
    name: 'Switchyard',
    version: appVersion(),
    mode: 'live',
    readOnly,
    dataDir: options.dataDir,
    now: clock(),
  });
  const dispatch = createDispatch(createHandlers({ fleet, info }), {
    readOnlyReason: () =>
      readOnly ? 'This console is read-only (started with --read-only): nothing can be changed from here.' : null,
    onInternalError: (method, error) => log(`[switchyard] ${method} failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
  const secrets = options.secrets ?? createMemorySecretStore();
  return { dispatch, events: bus, store, secrets, info, close: () => store.close() };
}

let cachedVersion: string | null = null;
export function appVersion(): string {
  if (cachedVersion === null) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
