import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/contract/events';
import { openHost } from '../../src/host/app';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { call, draft } from '../helpers/fleet-fixtures';
import { netnsSshdUnavailable, startNetnsSshd, type NetnsSshd } from '../helpers/netns-sshd';
import { fixture } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

// APIBAN on its own, in a host with no window open: the first sync as soon as a key is set, the
// servers chosen for it applied by themselves (nftables for real in a namespace; one unreachable),
// nothing before the interval has passed, a sync and an apply after it when the list changed, a
// re-apply before the set's entries would time out, and a failing server as an event and an
// alert. The host's clock is a manual one moved by the test; the scheduler looks every 100 ms.

const KEY = 'abad1deaabad1deaabad1deaabad1dea';
const T0 = Date.UTC(2026, 10, 25, 12);
const MIN = 60_000;
const unavailable = netnsSshdUnavailable();
const tempDir = useTempDirs();
let api: FakeApiban;
let ns: NetnsSshd;

beforeAll(async () => {
  if (unavailable) return;
  api = await startFakeApiban(KEY, [{ ipaddress: addresses(0, 20), id: '1700000001' }]);
  ns = await startNetnsSshd();
});
afterAll(async () => {
  await api?.close();
  await ns?.remove();
});

const inSet = (): string[] =>
  [...ns.run(['nft', 'list', 'set', 'inet', 'apiban', 'apiban']).matchAll(/(\d+\.\d+\.\d+\.\d+) expires/g)].map((m) => m[1] ?? '').sort();
const bannedRequests = (): number => api.requests.filter((r) => r.includes('/banned/')).length;

describe.skipIf(unavailable !== null)('the APIBAN schedule', () => {
  it('syncs and applies by itself, waits for the interval, re-applies before entries time out, and alerts on a failing server', async () => {
    const data = tempDir();
    writeFileSync(path.join(data, 'known_hosts'), `${ns.knownHostsLine}\n`);
    let now = T0;
    const logged: string[] = [];
    const app = openHost({
      dataDir: data,
      clock: () => now,
      log: (m) => logged.push(m),
      apibanSchedule: true,
      alerts: true,
      alertsRuntime: { tickMs: 50, periodicMs: 100 },
      apibanScheduler: { maxWaitMs: 100, minWaitMs: 20 },
    });
    const runs: EventPayload<'apiban:schedule-run'>[] = [];
    app.events.on((name, payload) => {
      if (name === 'apiban:schedule-run') runs.push(payload as EventPayload<'apiban:schedule-run'>);
    });
    try {
      const zone = await call(app, 'fleet:create-zone', { name: 'Edge', description: '' });
      const ssh = (port: number) => ({
        host: '127.0.0.1',
        port,
        user: 'root',
        auth: 'key' as const,
        keyPath: fixture('user_ed25519'),
        jumpHost: null,
      });
      const edge = await call(app, 'fleet:create-server', {
        ...draft(zone.id, { ip: '45.33.10.40', alias: 'edge-nft' }),
        ssh: ssh(ns.relayPort),
      });
      const dead = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '45.33.10.60', alias: 'edge-dead' }), ssh: ssh(1) });

      // A key is all it takes for the first sync.
      await call(app, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
      await until('the first sync by itself', () => runs.find((r) => r.what === 'sync'));
      expect(runs[0]).toMatchObject({ what: 'sync', ok: true, at: T0 });
      let status = await call(app, 'apiban:status', {});
      expect(status).toMatchObject({
        addresses: 20,
        lastSyncAt: T0,
        schedule: { enabled: true, intervalSec: 3600, nextSyncAt: T0 + 60 * MIN, running: true },
      });

      // Choosing servers applies to them at once; the dead one fails, as an event and an alert.
      await call(app, 'apiban:set-schedule', {
        targets: [
          { serverId: edge.id, method: 'nftables' },
          { serverId: dead.id, method: 'ipset' },
        ],
      });
      await until('the first apply by itself', () => runs.find((r) => r.what === 'apply'));
      const firstApply = runs.find((r) => r.what === 'apply');
      expect(firstApply?.ok).toBe(false);
      expect(firstApply?.serverIds.slice().sort()).toEqual([edge.id, dead.id].sort());
      expect(firstApply?.message).toContain('(never applied); failed on 1 of 2:');
      expect(inSet()).toEqual(addresses(0, 20).sort());
      const alert = await until('the APIBAN alert', async () =>
        (await call(app, 'alerts:list', {})).alerts.find((a) => a.kind === 'apiban-sync'),
      );
      expect(alert.summary).toContain('edge-dead');
      expect(logged.some((l) => l.includes('APIBAN apply by schedule failed'))).toBe(true);

      // Half an hour on, with new bans waiting at APIBAN: not yet.
      api.setPages([
        { ipaddress: addresses(0, 20), id: '1700000001' },
        { ipaddress: addresses(20, 5), id: '1700000002' },
      ]);
      const requestsBefore = bannedRequests();
      now = T0 + 30 * MIN;
      await call(app, 'apiban:set-schedule', { intervalSec: 3600 }); // a look now, which must find nothing due
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(bannedRequests()).toBe(requestsBefore);

      // The interval passed: it syncs, the list changed, the server gets it.
      now = T0 + 61 * MIN;
      const syncs = runs.filter((r) => r.what === 'sync').length;
      await until('the second sync by itself', () => runs.filter((r) => r.what === 'sync').length > syncs);
      await until('the changed list applied by itself', () =>
        runs.some((r) => r.what === 'apply' && r.serverIds.includes(edge.id) && r.message.includes('list changed')),
      );
      expect(inSet()).toEqual(addresses(0, 25).sort());
      status = await call(app, 'apiban:status', {});
      expect(status).toMatchObject({ addresses: 25, lastSyncAt: T0 + 61 * MIN, schedule: { nextSyncAt: T0 + 121 * MIN } });
      const appliedAt = status.applied.find((a) => a.serverId === edge.id)?.appliedAt ?? 0;
      expect(appliedAt).toBe(T0 + 61 * MIN);

      // Nothing new for three and a half days: applied again before the entries (7 days) would time out.
      now = appliedAt + 84 * 60 * MIN;
      await until('a refresh before the timeout', () =>
        runs.some((r) => r.what === 'apply' && r.message.includes('entries would time out')),
      );
      status = await call(app, 'apiban:status', {});
      expect(status.applied.find((a) => a.serverId === edge.id)).toMatchObject({ ok: true, entries: 25, appliedAt: now });
      expect(status.schedule.targets.find((t) => t.serverId === edge.id)).toMatchObject({
        method: 'nftables',
        due: null,
        nextApplyAt: now + 84 * 60 * MIN,
      });

      // The failing server taken off the schedule: the alert resolves.
      await call(app, 'apiban:set-schedule', { targets: [{ serverId: edge.id, method: 'nftables' }] });
      await until('the alert resolved', async () => !(await call(app, 'alerts:list', {})).alerts.some((a) => a.kind === 'apiban-sync'));
    } finally {
      await app.close();
    }
    expect(logged.filter((l) => l.includes('background') || l.includes('APIBAN schedule:'))).toEqual([]);
  });
});

describe('where the APIBAN schedule never runs', () => {
  it('is off in a read-only wall display and in a one-shot command, and says so', async () => {
    const data = tempDir();
    const wall = openHost({ dataDir: data, monitoring: true, readOnly: true, log: () => {} });
    try {
      expect((await call(wall, 'apiban:status', {})).schedule).toMatchObject({ enabled: true, running: false });
    } finally {
      await wall.close();
    }
    const oneShot = openHost({ dataDir: data, log: () => {} });
    try {
      expect((await call(oneShot, 'apiban:status', {})).schedule).toMatchObject({ running: false, nextSyncAt: null });
    } finally {
      await oneShot.close();
    }
  });
});
