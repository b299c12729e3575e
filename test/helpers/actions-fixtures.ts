import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostApp } from '../../src/host/app';
import type { Server } from '../../src/contract/fleet';
import { formatKnownHostsLine } from '../../src/domain/ssh/known-hosts';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import type { ActionKind, RecipeBook } from '../../src/domain/ssh/recipe';
import type { EventPayload } from '../../src/contract/events';
import { call, draft } from './fleet-fixtures';
import { fixture, hostPublicKey, TEST_USER } from './sshd';

// Fleet servers that are really the test sshd on several loopback addresses, a recipe book whose
// commands are `sh -c` scripts (the test sshd has no systemd), and the sshd's host key on file in
// the data folder so no prompt is needed.

/** 127.0.0.2 … 127.0.0.(n+1). */
export const loopbackTargets = (n: number, base = 2): string[] => Array.from({ length: n }, (_, i) => `127.0.0.${base + i}`);

export function seedKnownHosts(dataDir: string, addresses: readonly string[], port: number): void {
  const { keyType, key } = hostPublicKey('ed25519');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'known_hosts'), addresses.map((a) => formatKnownHostsLine(a, port, keyType, key)).join('\n') + '\n');
}

/**
 * The shipped book with each listed action's SSH command replaced (null leaves it unconfigured).
 * Operator parameters stay declared; out-of-band recipes (Power Cycle, OS Cycle) cannot be given one.
 */
export function writeRecipes(file: string, commands: Partial<Record<ActionKind, string[] | null>>, loadProbe?: string[]): RecipeBook {
  const book = defaultRecipeBook();
  const next: RecipeBook = {
    ...book,
    recipes: book.recipes.map((r) =>
      r.action in commands && !r.outOfBand ? { ...r, command: commands[r.action] ?? null, defaults: {} } : r,
    ),
    probes: loadProbe ? { load: { ...book.probes.load, command: loadProbe } } : book.probes,
  };
  writeFileSync(file, JSON.stringify(next, null, 2));
  return next;
}

export async function addServers(
  app: HostApp,
  addresses: readonly string[],
  port: number,
  overrides: Partial<Parameters<typeof draft>[1]> = {},
): Promise<Server[]> {
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const servers: Server[] = [];
  for (const [i, ip] of addresses.entries()) {
    servers.push(
      await call(
        app,
        'fleet:create-server',
        draft(zone.id, {
          ip,
          alias: `sw-${String(i + 1).padStart(2, '0')}`,
          type: 'switch',
          channels: 100,
          cps: 10,
          ssh: { host: null, port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
          ...overrides,
        }),
      ),
    );
  }
  return servers;
}

export type RunUpdate = EventPayload<'actions:run-update'>;

/** Collects a run's events and resolves with them when the run's last update (endedAt set) arrives. */
export function watchRuns(app: HostApp): { updates: RunUpdate[]; finished(runId: string, timeoutMs?: number): Promise<RunUpdate[]> } {
  const updates: RunUpdate[] = [];
  const waiters = new Map<string, () => void>();
  app.events.on((name, payload) => {
    if (name !== 'actions:run-update') return;
    const update = payload as RunUpdate;
    updates.push(update);
    if (update.endedAt !== null) waiters.get(update.runId)?.();
  });
  return {
    updates,
    finished(runId, timeoutMs = 30_000) {
      const mine = () => updates.filter((u) => u.runId === runId);
      if (mine().some((u) => u.endedAt !== null)) return Promise.resolve(mine());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`run ${runId} did not finish in ${timeoutMs} ms`)), timeoutMs);
        waiters.set(runId, () => {
          clearTimeout(timer);
          resolve(mine());
        });
      });
    },
  };
}
