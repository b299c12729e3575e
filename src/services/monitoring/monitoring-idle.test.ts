import { afterEach, describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import type { Sample } from '../../domain/monitoring/sample';
import { DEFAULT_SETTINGS } from '../fleet/settings';
import { systemClock } from '../probes/clock';
import type { StoredServer } from '../store/servers-repo';
import { openStore, type Store } from '../store/store';
import { MonitoringService } from './monitoring-service';

// A host that does not probe (a wall display, a snapshot) answers `monitoring:latest` from stored
// history. The page calls it at every open and reconnect, so the history is read once per fleet
// on show, not at every call: these tests count the reads.

const T0 = Date.UTC(2026, 11, 1, 3, 0, 0);
let store: Store | null = null;
afterEach(() => store?.close());

function server(i: number): StoredServer {
  return {
    ...defaultServerDraft('z'),
    ip: `127.0.30.${i}`,
    alias: `sw${i}`,
    id: `srv-${i}`,
    installRecommended: false,
    updatePending: false,
    createdAt: 0,
    updatedAt: 0,
  };
}

function idleService(shown: { at: number | null }) {
  const db = openStore({ file: ':memory:' });
  store = db;
  db.zones.insert({ id: 'z', name: 'Z', description: '', createdAt: 0 });
  db.servers.insert(server(1));
  db.servers.insert(server(2));
  const samples: Sample[] = [];
  for (let i = 0; i < 5; i += 1) samples.push({ serverId: 'srv-1', kind: 'icmp', at: T0 + i * 5_000, rttMs: 0.2 + i / 10 });
  db.samples.insertBatch(samples);
  let reads = 0;
  const recent = db.samples.recent.bind(db.samples);
  db.samples.recent = (...args: Parameters<typeof recent>) => {
    reads += 1;
    return recent(...args);
  };
  const service = new MonitoringService({
    store: db,
    settings: () => DEFAULT_SETTINGS,
    clock: systemClock(),
    version: 'test',
    log: () => undefined,
    onSamples: () => undefined,
    onStatusChanged: () => undefined,
    shownAt: () => shown.at,
  });
  return { db, service, reads: () => reads };
}

describe('monitoring:latest on a host that does not probe', () => {
  it('reads the history once, then answers from memory with the same values', () => {
    const { service, reads } = idleService({ at: null });
    const first = service.latest();
    const afterFirst = reads();
    expect(afterFirst).toBeGreaterThan(0);
    expect(first.find((e) => e.serverId === 'srv-1')?.sparkIcmp).toEqual([0.2, 0.3, 0.4, 0.5, 0.6].map((v) => expect.closeTo(v, 6)));
    expect(first.find((e) => e.serverId === 'srv-1')?.icmp?.at).toBe(T0 + 20_000);
    const second = service.latest();
    expect(reads()).toBe(afterFirst);
    expect(second).toEqual(first);
    expect(service.latest(['srv-2'])).toEqual([first.find((e) => e.serverId === 'srv-2')]);
  });

  it('reads again when the fleet changes or another moment is shown', () => {
    const shown = { at: null as number | null };
    const { db, service, reads } = idleService(shown);
    service.latest();
    const once = reads();
    db.servers.insert(server(3));
    service.syncFleet();
    expect(service.latest().map((e) => e.serverId)).toContain('srv-3');
    const twice = reads();
    expect(twice).toBeGreaterThan(once);
    shown.at = T0 + 60_000;
    service.latest();
    expect(reads()).toBeGreaterThan(twice);
  });
});
