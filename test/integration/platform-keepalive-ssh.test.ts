import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { ctlAtDefaultPath, registerPhones, startRegistrar, type Phones, type Registrar } from '../helpers/kamailio-registrar';

// The keepalive overhead from registrations counted on the servers over a real OpenSSH sshd: the
// shipped registrations recipe, unchanged, runs the real kamcmd against a real Kamailio registrar
// holding 3 contacts that SIPp phones registered (the sshd's sessions see the registrar's folder as
// /run/kamailio, kamcmd's default). Servers that cannot be read keep the typed figure, with the
// reason. Nothing is read until the operator asks (`refresh`); what was read, failures too, is kept
// with its time.

let sshd: Sshd;
let dir: string;
let registrar: Registrar;
let phones: Phones;

beforeAll(async () => {
  registrar = await startRegistrar();
  phones = await registerPhones(
    registrar,
    ['1001', '1002', 'alice'].map((user) => ({ user, expires: 600, userAgent: `SwitchyardLab/${user}` })),
  );
  sshd = await startSshd({ hostKeys: ['ed25519'], launcher: ctlAtDefaultPath(registrar) });
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-keepalive-'));
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  await phones?.stop();
  await registrar?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('keepalive overhead from registrations read over SSH', () => {
  it("reads each server's count, falls back to the typed figure only where it cannot, says why, and advises from the real count", async () => {
    const data = mkdtempSync(path.join(dir, 'data-'));
    const { keyType, key } = hostPublicKey('ed25519');
    writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
    const app = openTestHost(data, Date.now);
    try {
      const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
      const ssh = {
        host: '127.0.0.1',
        port: sshd.port,
        user: TEST_USER,
        auth: 'key' as const,
        keyPath: sshFixture('user_ed25519'),
        jumpHost: null,
      };
      // Three unclustered servers sharing user locations: each pings the whole array's registrations.
      const config = { ...defaultServerDraft(zone.id).config, uacLocationSharing: true };
      const live = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.1', alias: 'reg-live' }), config, ssh });
      const dead = await call(app, 'fleet:create-server', {
        ...draft(zone.id, { ip: '127.0.0.2', alias: 'reg-dead' }),
        config,
        ssh: { ...ssh, port: 1 },
      });
      const denied = await call(app, 'fleet:create-server', {
        ...draft(zone.id, { ip: '127.0.0.3', alias: 'reg-denied' }),
        config,
        ssh: { ...ssh, user: 'no-such-user' },
      });

      // Before anyone asks, every figure is the typed one and nothing was read.
      const before = await call(app, 'platform:keepalive', { fallbackRegistrations: 7, intervalSec: 1 });
      expect(before.servers.map((s) => [s.source, s.readAt, s.unread])).toEqual([
        ['typed', null, null],
        ['typed', null, null],
        ['typed', null, null],
      ]);

      const progress: number[] = [];
      app.events.on((name, payload) => {
        if (name === 'platform:keepalive-progress') progress.push((payload as { done: number }).done);
      });
      const askedAt = Date.now();
      const report = await call(app, 'platform:keepalive', { fallbackRegistrations: 7, intervalSec: 1, refresh: true });
      expect(progress.sort()).toEqual([1, 2, 3]);
      const byId = new Map(report.servers.map((s) => [s.server.id, s]));
      expect(byId.get(live.id)).toMatchObject({ registrations: 3, source: 'read', unread: null });
      expect(byId.get(dead.id)).toMatchObject({ registrations: 7, source: 'typed', unread: { why: 'unreachable' } });
      expect(byId.get(denied.id)).toMatchObject({ registrations: 7, source: 'typed', unread: { why: 'no-ssh-access' } });
      expect(byId.get(denied.id)?.unread?.message).not.toBe('');
      for (const s of report.servers) expect(s.readAt).toBeGreaterThanOrEqual(askedAt);
      // 3 + 7 + 7 registrations in the array, pinged by each of the 3 servers.
      expect(report.totalPingsPerSecond).toBe(51);
      expect(report.advice.map((a) => a.code)).toEqual(['array-disable-ping', 'array-cluster']);

      // With nothing typed, the only registrations are the 3 read from reg-live: still pinged three times over.
      // Answered from the reads kept, failures included, with the time each was made.
      const readOnly = await call(app, 'platform:keepalive', { fallbackRegistrations: 0, intervalSec: 1 });
      expect(readOnly.servers.map((s) => [s.source, s.readAt, s.unread?.why ?? null])).toEqual(
        report.servers.map((s) => [s.source, s.readAt, s.unread?.why ?? null]),
      );
      expect(readOnly.totalPingsPerSecond).toBe(9);
      expect(readOnly.advice.find((a) => a.code === 'array-disable-ping')?.message).toContain('9 pings/s where one cluster would send 3');

      // Disabling UAC ping on the sharing servers, as the reference advises, ends the warning.
      for (const s of [live, dead, denied]) {
        await call(app, 'fleet:update-server', {
          id: s.id,
          draft: { ...draft(zone.id, { ip: s.ip, alias: s.alias }), config: { ...config, disableUacPing: true }, ssh: s.ssh },
        });
      }
      const quiet = await call(app, 'platform:keepalive', { fallbackRegistrations: 0, intervalSec: 1 });
      expect(quiet.totalPingsPerSecond).toBe(0);
      expect(quiet.advice.map((a) => a.code)).toEqual(['ping-off-nat']);
      expect(quiet.advice[0]?.servers.map((s) => s.alias)).toEqual(['reg-live']);
    } finally {
      await app.close();
    }
  });

  it('opens no connection until the operator asks, not on a fleet change either', async () => {
    // A listener standing in for a server's SSH port counts every connection made to it.
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const data = mkdtempSync(path.join(dir, 'data-'));
    const app = openTestHost(data, Date.now);
    try {
      const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
      const ssh = { host: '127.0.0.1', port, user: TEST_USER, auth: 'key' as const, keyPath: sshFixture('user_ed25519'), jumpHost: null };
      const server = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.9', alias: 'counted' }), ssh });
      await call(app, 'platform:keepalive', { fallbackRegistrations: 5, intervalSec: 1 });
      // What the page does on a fleet change: read the report again.
      await call(app, 'fleet:update-server', { id: server.id, draft: { ...draft(zone.id, { ip: '127.0.0.9', alias: 'renamed' }), ssh } });
      const after = await call(app, 'platform:keepalive', { fallbackRegistrations: 5, intervalSec: 1 });
      expect(connections).toBe(0);
      expect(after.servers[0]).toMatchObject({ source: 'typed', readAt: null, unread: null, registrations: 5 });

      const read = await call(app, 'platform:keepalive', { fallbackRegistrations: 5, intervalSec: 1, refresh: true });
      expect(connections).toBeGreaterThan(0);
      expect(read.servers[0]?.unread?.why).toBe('unreachable');
      const seen = connections;
      const cached = await call(app, 'platform:keepalive', { fallbackRegistrations: 5, intervalSec: 1 });
      expect(cached.servers[0]).toMatchObject({ source: 'typed', readAt: read.servers[0]?.readAt, unread: read.servers[0]?.unread });
      expect(connections).toBe(seen);
    } finally {
      await app.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
