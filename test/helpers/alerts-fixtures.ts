import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import type { ProbeKind } from '../../src/domain/monitoring/sample';
import { AlertEngine } from '../../src/services/alerts/alert-engine';
import type { StoredServer } from '../../src/services/store/servers-repo';
import { openStore, type Store } from '../../src/services/store/store';

// A fleet in a real SQLite store (in memory) and an alert engine on a hand-driven clock: two
// zones, one cluster, and as many servers as a test asks for.

export const T0 = Date.UTC(2026, 11, 1, 3, 0, 0);

export interface AlertsBench {
  store: Store;
  engine: AlertEngine;
  now: { t: number };
  servers: StoredServer[];
  /** Feeds one probe sample (rtt null: lost) at the current time and moves the clock on by `stepMs`. */
  feed(server: StoredServer, kind: ProbeKind, rttMs: number | null, code?: number, stepMs?: number): void;
  tick(): void;
  close(): void;
}

export function makeAlertsBench(count = 3, options: { apibanKey?: boolean } = {}): AlertsBench {
  const store = openStore({ file: ':memory:' });
  const now = { t: T0 };
  store.zones.insert({ id: 'zone-us', name: 'US-East', description: '', createdAt: 0 });
  store.zones.insert({ id: 'zone-eu', name: 'EU', description: '', createdAt: 0 });
  store.clusters.insert({ id: 'core', name: 'core-us', description: '', createdAt: 0 });
  const servers: StoredServer[] = [];
  for (let i = 0; i < count; i += 1) {
    const server: StoredServer = {
      ...defaultServerDraft(i % 2 === 0 ? 'zone-us' : 'zone-eu'),
      ip: `127.0.20.${i + 1}`,
      alias: `sw${i + 1}`,
      clusterId: i === 0 ? 'core' : null,
      id: `srv-${i + 1}`,
      installRecommended: false,
      updatePending: false,
      createdAt: 0,
      updatedAt: 0,
    };
    store.servers.insert(server);
    servers.push(server);
  }
  const engine = new AlertEngine({ store, clock: () => now.t, apibanKeySet: () => options.apibanKey === true });
  engine.start();
  return {
    store,
    engine,
    now,
    servers,
    feed(server, kind, rttMs, code, stepMs = 1_000) {
      engine.observe({ serverId: server.id, kind, at: now.t, rttMs, ...(code === undefined ? {} : { code }) });
      now.t += stepMs;
    },
    tick() {
      engine.tick(now.t);
    },
    close() {
      engine.stop();
      store.close();
    },
  };
}
