// Live monitoring through the real host against a real kamailio: status follows the server
// (online, down when kamailio stops, answering again when it returns), updates are pushed at most
// about once a second however many probes run, deleted servers stop being probed, stopped and
// expired ones pause, and closing leaves no timer, socket or fping process behind.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../src/contract/events';
import type { StatusEvent } from '../../src/contract/monitoring-methods';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { startKamailio, type Kamailio } from '../helpers/kamailio';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fpingChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-x', 'fping'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

interface Recorded {
  name: EventName;
  at: number;
  payload: unknown;
}

async function monitoredHost(): Promise<{ app: HostApp; events: Recorded[]; zoneId: string }> {
  const app = openHost({ dataDir: tempDir(), monitoring: true, log: () => undefined });
  const events: Recorded[] = [];
  app.events.on((name, payload) => events.push({ name, at: Date.now(), payload }));
  cleanups.push(() => app.close());
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300, statusDownAfterLosses: 2 });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  return { app, events, zoneId: zone.id };
}

const statusOf = async (app: HostApp, id: string) => (await call(app, 'fleet:get-server', { id })).status;
const pushed = <E extends EventName>(events: Recorded[], name: E) =>
  events.filter((e) => e.name === name).map((e) => ({ at: e.at, payload: e.payload as EventPayload<E> }));

describe('monitoring service against kamailio', () => {
  it('goes online, down when kamailio stops, back up when it returns, and logs each change', async () => {
    let kamailio: Kamailio = await startKamailio();
    cleanups.push(() => kamailio.stop());
    const { app, events, zoneId } = await monitoredHost();
    const p = kamailio.ports.ok;
    const server = await call(
      app,
      'fleet:create-server',
      draft(zoneId, { ip: '127.0.0.1', alias: 'sbc-1', config: { ...draft(zoneId).config, ports: { udp: p, tcp: p, tls: p } } }),
    );

    await until('online', async () => (await statusOf(app, server.id)) === 'online');
    const [latest] = await call(app, 'monitoring:latest', { serverIds: [server.id] });
    expect(latest?.sip?.code).toBe(200);
    expect(latest?.sip?.rttMs).toBeGreaterThan(0);
    expect(latest?.sparkSip.length).toBeGreaterThan(0);

    await kamailio.stop();
    await until('down', async () => (await statusOf(app, server.id)) === 'down');
    kamailio = await startKamailio({ ports: kamailio.ports });
    // Back, it answers again: degraded while the lost probes are still in the loss window, then online.
    await until('answering again', async () => ['online', 'degraded'].includes(await statusOf(app, server.id)));

    const log = await call(app, 'monitoring:events', { serverId: server.id });
    const transitions = log.map((e) => `${e.from}>${e.to}`).reverse();
    // The first lost probe already breaks the loss threshold (degraded); the second in a row is down.
    expect(transitions.some((t) => t.endsWith('>down'))).toBe(true);
    expect(transitions.at(-1)).toMatch(/^down>(online|degraded)$/);
    expect(log[0]).toMatchObject({ alias: 'sbc-1', ip: '127.0.0.1' });
    const pushedChanges = pushed(events, 'monitoring:status-changed').flatMap((e) => e.payload.events as StatusEvent[]);
    expect(pushedChanges.some((e) => e.to === 'down')).toBe(true);

    const series = await call(app, 'monitoring:series', { serverId: server.id, range: '5m', kinds: ['sip-udp', 'icmp'] });
    expect(series.source).toBe('raw');
    const sip = series.points['sip-udp'] ?? [];
    expect(sip.some((pt) => pt.lost > 0)).toBe(true);
    expect(sip.some((pt) => pt.medianMs !== null && pt.code === 200)).toBe(true);
    expect((series.points.icmp ?? []).length).toBeGreaterThan(0);
  }, 60_000);

  it('pushes at most about one update message a second for many servers, and stops probing deleted, stopped and expired ones', async () => {
    const kamailio = await startKamailio();
    cleanups.push(() => kamailio.stop());
    const { app, events, zoneId } = await monitoredHost();
    const p = kamailio.ports.ok;
    const ids: string[] = [];
    for (let i = 1; i <= 20; i += 1) {
      const s = await call(
        app,
        'fleet:create-server',
        draft(zoneId, { ip: `127.0.0.${i}`, alias: `s${i}`, config: { ...draft(zoneId).config, ports: { udp: p, tcp: p, tls: p } } }),
      );
      ids.push(s.id);
    }
    // 127.0.0.1 answers SIP; the others have no kamailio listening there, so SIP is lost and they go down.
    await until('first server online', async () => (await statusOf(app, ids[0] as string)) === 'online');
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 4_000));
    const window = pushed(events, 'monitoring:samples').filter((e) => e.at >= started && e.at < started + 4_000);
    const updates = window.reduce((n, e) => n + e.payload.updates.length, 0);
    expect(window.length).toBeLessThanOrEqual(6);
    expect(updates).toBeGreaterThanOrEqual(20);

    const [deleted, stopped, expired] = ids.slice(1, 4) as [string, string, string];
    await call(app, 'fleet:delete-servers', { ids: [deleted] });
    const stoppedServer = await call(app, 'fleet:get-server', { id: stopped });
    await call(app, 'fleet:update-server', { id: stopped, draft: { ...strip(stoppedServer), adminState: 'stopped' } });
    const expiredServer = await call(app, 'fleet:get-server', { id: expired });
    await call(app, 'fleet:update-server', { id: expired, draft: { ...strip(expiredServer), expiresAt: Date.now() - 1_000 } });
    expect(await statusOf(app, stopped)).toBe('stopped');
    expect(await statusOf(app, expired)).toBe('expired');

    const lastAt = async (id: string) => (await call(app, 'monitoring:latest', { serverIds: [id] }))[0]?.icmp?.at ?? 0;
    const before = { stopped: await lastAt(stopped), expired: await lastAt(expired), other: await lastAt(ids[4] as string) };
    const cut = Date.now();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await lastAt(stopped)).toBe(before.stopped);
    expect(await lastAt(expired)).toBe(before.expired);
    expect(await lastAt(ids[4] as string)).toBeGreaterThan(before.other);
    expect(await call(app, 'monitoring:latest', { serverIds: [deleted] })).toEqual([]);
    const afterDelete = pushed(events, 'monitoring:samples').filter((e) => e.at > cut + 1_100);
    expect(afterDelete.some((e) => e.payload.updates.some((u) => u.serverId === deleted))).toBe(false);
    expect(app.store.samples.recent(deleted, 'sip-udp', 5)).toEqual([]);

    expect(fpingChildren()).toBeGreaterThan(0);
    await app.close();
    cleanups.length = 0;
    cleanups.push(() => kamailio.stop());
    expect(fpingChildren()).toBe(0);
  }, 60_000);
});

function strip<
  T extends { id: string; status: unknown; installRecommended: unknown; updatePending: unknown; createdAt: unknown; updatedAt: unknown },
>(server: T) {
  const { id: _id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _a, ...draftOnly } = server;
  return draftOnly;
}
