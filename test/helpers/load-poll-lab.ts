import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActionsWiring, type ActionsWiring } from '../../src/host/actions-wiring';
import { openHost, type HostApp } from '../../src/host/app';
import { createMemorySecretStore } from '../../src/services/secrets/secret-store';
import { createAppSshPool } from '../../src/services/ssh/app-ssh';
import { createHostKeyPrompts } from '../../src/services/ssh/host-key-prompts';
import { seedKnownHosts } from './actions-fixtures';
import type { Sshd } from './sshd';

// The load poller as the host builds it (on the host's store and event bus, through the app's SSH
// pool), pointed at the test sshd: the load tests then drive real polls over real SSH. The sshd's
// host key is on file in the data folder, so no prompt is needed; the test's recipe book is
// written before the host first reads it.

export interface LoadPollLab {
  app: HostApp;
  dataDir: string;
  recipesFile: string;
  wiring: ActionsWiring;
  /** Closes the poller, the SSH pool and the host and removes the data folder; the sshd is the test's. */
  close(): Promise<void>;
}

export async function openLoadPollLab(options: {
  sshd: Sshd;
  /** Names the data folder in the temp dir. */
  prefix: string;
  /** Writes the recipe book before the host opens (the test may rewrite the file later). */
  writeRecipes(recipesFile: string): void;
  /** Shorter than the shipped pause between servers of a run, so the tests do not wait on it. */
  throttleMs?: number;
  /** The fleet, made before the poller starts: a background poller would otherwise read half-made servers. */
  seed?(app: HostApp): Promise<void>;
  /** Poll in the background at this interval; left out, only the test's pollOnce polls. */
  loadIntervalMs?: number;
}): Promise<LoadPollLab> {
  const { sshd, throttleMs, loadIntervalMs } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const recipesFile = path.join(dataDir, 'recipes.json');
  let app: HostApp | undefined;
  let pool: ReturnType<typeof createAppSshPool> | undefined;
  let wiring: ActionsWiring | undefined;
  const close = async () => {
    wiring?.close();
    pool?.closeAll();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    seedKnownHosts(dataDir, sshd.addresses, sshd.port);
    options.writeRecipes(recipesFile);
    app = openHost({ dataDir, log: () => {}, actions: { recipesFile, ...(throttleMs === undefined ? {} : { throttleMs }) } });
    await options.seed?.(app);
    const secrets = createMemorySecretStore();
    pool = createAppSshPool({ dataDir, secrets, prompts: createHostKeyPrompts({ onPrompt: () => undefined }) });
    wiring = createActionsWiring({
      store: app.store,
      clock: Date.now,
      bus: app.events,
      sshPool: pool,
      secrets,
      dataDir,
      readOnly: false,
      log: () => {},
      recipesFile,
      ...(throttleMs === undefined ? {} : { throttleMs }),
      ...(loadIntervalMs === undefined ? {} : { background: true, loadIntervalMs }),
    });
    return { app, dataDir, recipesFile, wiring, close };
  } catch (error) {
    await close();
    throw error;
  }
}
