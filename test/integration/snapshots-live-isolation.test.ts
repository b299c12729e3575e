// While the console shows a snapshot, every view answers from the snapshot, never from the live
// fleet that keeps running underneath: a live host with real probes writing (ICMP and SIP to a
// loopback address), a snapshot saved mid-run, then more live history (samples, a server, a
// certificate, a tool run, a load reading, banned addresses) before the snapshot is opened.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../src/contract/events';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
afterEach(async () => {
  for (const app of hosts.splice(0)) await app.close();
});

const LIVE_ONLY: EventName[] = [
  'monitoring:samples',
  'monitoring:status-changed',
  'tools:run-update',
  'actions:run-update',
  'certs:changed',
  'apiban:changed',
];

describe('a snapshot on show while the live fleet runs', () => {
  it('answers every query from the snapshot and holds live pushes back until the return to live', async () => {
    const logged: string[] = [];
    const app = openHost({ dataDir: tempDir(), monitoring: true, log: (line) => logged.push(line) });
    hosts.push(app);
    const heard: { name: EventName; at: number }[] = [];
    app.events.on((name) => heard.push({ name, at: Date.now() }));
    await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 200, statusDownAfterLosses: 2 });
    const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
    const server = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.10.41', alias: 'probed', channels: 300 }));
    const icmpAt = async () => (await call(app, 'monitoring:latest', { serverIds: [server.id] }))[0]?.icmp?.at ?? 0;
    await until('a first ICMP sample', icmpAt);
    // Status logged (nothing answers SIP there, so it goes down) before the save, so the snapshot holds events.
    await until('a status event', async () => (await call(app, 'monitoring:events', { limit: 10 })).length > 0);

    const meta = await call(app, 'snapshots:save', { file: 'mid-run', note: '' });
    const taken = meta.takenAt;
    const inSnapshot = {
      latest: await icmpAt(),
      events: (await call(app, 'monitoring:events', { limit: 100 })).length,
    };

    // The live fleet moves on after the save.
    await until('live samples after the save', async () => (await icmpAt()) > taken + 1_000);
    await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.10.42', alias: 'added-later' }));
    app.store.certificates.insert({
      id: 'c-later',
      name: 'imported-later',
      subject: 'CN=later',
      issuer: 'CN=ca',
      serialNumber: '1',
      sans: { dns: [], ip: [] },
      notBefore: taken,
      notAfter: taken + 86_400_000,
      fingerprint256: 'DD:'.repeat(31) + 'DD',
      chainPem: '-',
      chainLength: 1,
      hasKey: false,
      importedAt: taken,
    });
    app.store.serverLoad.insert({
      serverId: server.id,
      at: Date.now(),
      load: [1, 1, 1],
      memTotalKb: 1,
      memAvailableKb: 1,
      uptimeSec: 1,
      channels: 1,
      pendingUpdates: 0,
    });
    app.store.apiban.savePage(['192.0.2.7'], Date.now(), '101');
    const run = await call(app, 'tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 1 } });
    await until('the ping to finish', async () => (await call(app, 'tools:get-run', { id: run.id })).status !== 'running');
    const liveSeries = await call(app, 'monitoring:series', { serverId: server.id, range: '5m', kinds: ['icmp'] });
    expect(Object.values(liveSeries.points).flat().length).toBeGreaterThan(0);

    await call(app, 'snapshots:open', { file: meta.file });
    const openedAt = Date.now();
    expect(app.background.running).toBe(false);

    // Every view, from the snapshot.
    expect((await call(app, 'fleet:list-servers', {})).map((s) => s.alias)).toEqual(['probed']);
    const [latest] = await call(app, 'monitoring:latest', { serverIds: [server.id] });
    expect(latest?.icmp?.at).toBe(inSnapshot.latest);
    const series = await call(app, 'monitoring:series', { serverId: server.id, range: '5m', kinds: ['icmp'] });
    // The range ends at the snapshot's time, so its history shows (not an empty window ending now).
    expect(series.to).toBe(taken);
    const points = Object.values(series.points).flat() as { t: number }[];
    expect(points.length).toBeGreaterThan(0);
    expect(Math.max(...points.map((p) => p.t))).toBeLessThanOrEqual(taken);
    const events = await call(app, 'monitoring:events', { limit: 100 });
    expect(events.length).toBe(inSnapshot.events);
    expect(events.every((e) => e.at <= taken)).toBe(true);
    expect((await call(app, 'certs:list', {})).map((c) => c.name)).toEqual([]);
    expect(await call(app, 'actions:server-load', { serverId: server.id })).toEqual({ samples: [], error: null });
    expect(await call(app, 'tools:list-runs', {})).toEqual([]);
    await expect(call(app, 'tools:get-run', { id: run.id })).rejects.toThrow(/no|not found/i);
    expect(await call(app, 'apiban:list', {})).toMatchObject({ total: 0 });
    expect(await call(app, 'actions:list-runs', {})).toMatchObject({ runs: [], total: 0 });
    // Registrations are read live over SSH: a snapshot has none, and no server is contacted.
    await expect(call(app, 'registrations:for-server', { serverId: server.id })).rejects.toThrow(
      /shows a snapshot, which holds no registrations/,
    );
    await expect(call(app, 'registrations:lookup', { serverId: server.id, user: 'alice' })).rejects.toThrow(
      /shows a snapshot, which holds no registrations/,
    );

    // Live pushes are held back: none arrives while the snapshot is shown, even one emitted now.
    app.events.emit('monitoring:samples', { updates: [] });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(heard.filter((e) => e.at >= openedAt && LIVE_ONLY.includes(e.name))).toEqual([]);

    // Back to the live fleet: probes resume, pushes flow again, and the switch lost no sample.
    await call(app, 'snapshots:close', {});
    await until('live pushes again', () => heard.some((e) => e.name === 'monitoring:samples' && e.at > openedAt));
    expect((await call(app, 'fleet:list-servers', {})).map((s) => s.alias).sort()).toEqual(['added-later', 'probed']);
    expect(await icmpAt()).toBeGreaterThan(taken);
    expect(logged.filter((l) => /writing samples failed|readonly/i.test(l))).toEqual([]);
  }, 60_000);
});
