import { afterEach, describe, expect, it } from 'vitest';
import { LatestSummary } from '../../contract/monitoring-methods';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import type { Sample } from '../../domain/monitoring/sample';
import { DEFAULT_SETTINGS } from '../fleet/settings';
import { systemClock } from '../probes/clock';
import { openStore, type Store } from '../store/store';
import { MonitoringService } from './monitoring-service';

// `monitoring:latest-summaries` is what the page's first paint reads: the same values as
// `monitoring:latest`, without the sparklines (which the page reads per server afterwards).

const T0 = Date.UTC(2026, 11, 1, 3, 0, 0);
let store: Store | null = null;
afterEach(() => store?.close());

function service(): MonitoringService {
  const db = openStore({ file: ':memory:' });
  store = db;
  db.zones.insert({ id: 'z', name: 'Z', description: '', createdAt: 0 });
  for (const i of [1, 2, 3]) {
    db.servers.insert({
      ...defaultServerDraft('z'),
      ip: `127.0.30.${i}`,
      alias: `sw${i}`,
      id: `srv-${i}`,
      installRecommended: false,
      updatePending: false,
      createdAt: 0,
      updatedAt: 0,
    });
  }
  const samples: Sample[] = [];
  for (let i = 0; i < 5; i += 1) {
    samples.push({ serverId: 'srv-1', kind: 'icmp', at: T0 + i * 5_000, rttMs: i === 3 ? null : 0.2 + i / 10 });
    samples.push({ serverId: 'srv-2', kind: 'sip-udp', at: T0 + i * 5_000, rttMs: 1 + i, code: 200 });
  }
  db.samples.insertBatch(samples);
  return new MonitoringService({
    store: db,
    settings: () => DEFAULT_SETTINGS,
    clock: systemClock(),
    version: 'test',
    log: () => undefined,
    onSamples: () => undefined,
    onStatusChanged: () => undefined,
    shownAt: () => T0 + 30_000,
  });
}

describe('monitoring latest summaries', () => {
  it('equal the latest entries without their sparklines', () => {
    const s = service();
    const full = s.latest();
    const slim = s.latestSummaries();
    expect(slim).toEqual(full.map(({ sparkSip: _sip, sparkIcmp: _icmp, ...rest }) => rest));
    expect(full.find((e) => e.serverId === 'srv-1')?.sparkIcmp).toHaveLength(5);
    for (const entry of slim) {
      expect(entry).not.toHaveProperty('sparkSip');
      expect(entry).not.toHaveProperty('sparkIcmp');
    }
    expect(() => LatestSummary.array().parse(slim)).not.toThrow();
  });

  it('answers only the servers asked for, and none that does not exist', () => {
    const s = service();
    expect(s.latestSummaries(['srv-2', 'gone']).map((e) => e.serverId)).toEqual(['srv-2']);
    expect(s.latestSummaries(['srv-2'])[0]?.sip?.rttMs).toBe(5);
    expect(s.latestSummaries([])).toEqual([]);
  });
});
