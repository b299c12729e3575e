import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaMeasurement, MediaProgress } from '../../src/contract/media-methods';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// The Media path tool end to end in the host: RTP "servers" are a real OpenSSH sshd listening on
// loopback addresses (127.0.0.2 and 127.0.0.3), the SIP server at the carrier's end is the same
// sshd on 127.0.0.4, and each runs the system's own ping to the customer and the carrier over SSH.
// One RTP server (127.0.0.9) has no sshd at all, so its failure is real. This kernel has no netem,
// so every loopback path is about as fast as the next: the test checks the measuring, the ranking's
// order by the measured figures and the failures, not which zone wins (the ranking with distinct
// WAN figures is unit-tested in src/domain/media/ranking.test.ts).

const RTP_BLR = '127.0.0.2';
const RTP_NY = '127.0.0.3';
const SIP_SERVER = '127.0.0.4';
const RTP_DOWN = '127.0.0.9';
const CUSTOMER = '127.0.0.5';

let sshd: Sshd;
let dir: string;
let app: HostApp;
let ids: { blr: string; ny: string; empty: string; sw1: string };
const progress: MediaProgress[] = [];

beforeAll(async () => {
  sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4'], hostKeys: ['ed25519'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-media-'));
  const data = path.join(dir, 'data');
  const home = path.join(dir, 'home');
  mkdirSync(data);
  mkdirSync(home);
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(
    path.join(data, 'known_hosts'),
    [RTP_BLR, RTP_NY, SIP_SERVER].map((a) => `[${a}]:${sshd.port} ${keyType} ${key}\n`).join(''),
    { mode: 0o600 },
  );
  app = openHost({ dataDir: data, sshHomeDir: home, log: () => {} });
  app.events.on((name, payload) => {
    if (name === 'media:progress') progress.push(payload as MediaProgress);
  });

  const blr = await call(app, 'fleet:create-zone', { name: 'Bangalore', description: '' });
  const ny = await call(app, 'fleet:create-zone', { name: 'New York', description: '' });
  const empty = await call(app, 'fleet:create-zone', { name: 'London', description: 'no RTP servers yet' });
  await call(app, 'fleet:create-rtp', { ip: RTP_BLR, alias: 'rtp-blr1', zoneId: blr.id });
  await call(app, 'fleet:create-rtp', { ip: RTP_NY, alias: 'rtp-ny1', zoneId: ny.id });
  await call(app, 'fleet:create-rtp', { ip: RTP_DOWN, alias: 'rtp-ny2', zoneId: ny.id });
  const sw1 = await call(
    app,
    'fleet:create-server',
    draft(ny.id, {
      ip: SIP_SERVER,
      alias: 'sw1',
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    }),
  );
  await call(app, 'media:set-ssh', { port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null });
  ids = { blr: blr.id, ny: ny.id, empty: empty.id, sw1: sw1.id };
});

afterAll(async () => {
  await app?.close();
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Media path over SSH', () => {
  let m: MediaMeasurement;

  it('pings both ends from every RTP server, ranks the zones, and names the one that did not answer', async () => {
    const started = Date.now();
    m = await call(app, 'media:measure', { customer: CUSTOMER, serverId: ids.sw1 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(m).toMatchObject({ customer: CUSTOMER, carrier: SIP_SERVER, serverId: ids.sw1, serverLabel: `sw1 (${SIP_SERVER})` });

    // Both zones measured through a live server: real round trips on loopback, well under a millisecond or so.
    expect(m.zones.map((z) => z.zoneName).sort()).toEqual(['Bangalore', 'New York']);
    for (const z of m.zones) {
      expect(z.rank).not.toBeNull();
      expect(z.customerMs).toBeGreaterThan(0);
      expect(z.carrierMs).toBeGreaterThan(0);
      expect(z.customerMs).toBeLessThan(50);
      expect(z.pathMs).toBeCloseTo((z.customerMs ?? 0) + (z.carrierMs ?? 0), 9);
    }
    // Ranked by the measured figures, least first.
    expect(m.zones.map((z) => z.pathMs)).toEqual([...m.zones.map((z) => z.pathMs)].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(m.zones.map((z) => z.rank)).toEqual([1, 2]);

    const ny = m.zones.find((z) => z.zoneName === 'New York');
    expect(ny).toMatchObject({ servers: 2, answered: 1, via: { alias: 'rtp-ny1', ip: RTP_NY } });

    // The direct figure, from the SIP server at the carrier's end to the customer, and the added latency.
    expect(m.direct.rttMs).toBeGreaterThan(0);
    expect(m.direct.note).toBe(`Measured from sw1 (${SIP_SERVER}) to the customer.`);
    for (const z of m.zones) expect(z.addedMs).toBeCloseTo((z.pathMs ?? 0) - (m.direct.rttMs ?? 0), 9);

    // The server without sshd: one message per end, naming the RTP server, its address and the target.
    expect(m.errors).toHaveLength(2);
    expect(m.errors[0]).toMatch(
      new RegExp(
        `^RTP server rtp-ny2 \\(${RTP_DOWN.replaceAll('.', '\\.')}\\) could not measure the (customer ${CUSTOMER}|carrier ${SIP_SERVER}): .*(refused|ECONNREFUSED)`,
        'i',
      ),
    );
    expect(m.verdict).toMatch(/^(Bangalore|New York) adds (no measurable latency to|nothing to|.* ms round trip to) the direct path/);
    expect(m.rule).toMatch(/least latency/);

    // Progress: one event per path (2 per RTP server, 1 direct), ending at the total.
    const mine = progress.filter((p) => p.measurementId === m.id);
    expect(mine.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(mine.every((p) => p.total === 7)).toBe(true);
    expect(mine.filter((p) => p.last.includes('rtp-ny2'))).toHaveLength(2);

    // Kept for the advisor and the console.
    expect((await call(app, 'media:last', { serverId: ids.sw1 }))?.id).toBe(m.id);
  }, 40_000);

  it('refuses bad input before any SSH, naming the field, and stores nothing', async () => {
    const before = (await call(app, 'media:last', {}))?.id ?? null;
    const refused = async (input: Parameters<typeof call<'media:measure'>>[2]) => {
      const result = await app.dispatch('media:measure', input);
      if (result.ok) throw new Error('accepted');
      return result.error;
    };
    expect(await refused({ customer: ';reboot', carrier: CUSTOMER })).toMatchObject({ code: 'invalid-input', field: 'customer' });
    expect(await refused({ customer: CUSTOMER, carrier: '$(id)' })).toMatchObject({ code: 'invalid-input', field: 'carrier' });
    expect(await refused({ customer: CUSTOMER })).toMatchObject({ code: 'invalid-input', field: 'carrier' });
    expect(await refused({ customer: CUSTOMER, serverId: 'no-such-server' })).toMatchObject({
      code: 'invalid-input',
      field: 'serverId',
      message: expect.stringContaining('no-such-server'),
    });
    expect(progress.filter((p) => p.measurementId !== m.id)).toEqual([]);
    expect((await call(app, 'media:last', {}))?.id ?? null).toBe(before);
  });

  it('sets a server’s media zone, refuses a zone with no RTP servers, and returns to automatic', async () => {
    expect(await call(app, 'media:zones', {})).toEqual([{ serverId: ids.sw1, zoneId: null }]);
    const refused = await app.dispatch('media:set-zone', { serverId: ids.sw1, zoneId: ids.empty });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'zoneId',
        message: expect.stringMatching(/^Zone London has no RTP servers, so media for sw1 cannot go there/),
      },
    });
    expect(await call(app, 'media:zones', {})).toEqual([{ serverId: ids.sw1, zoneId: null }]);

    await call(app, 'media:set-zone', { serverId: ids.sw1, zoneId: ids.blr });
    expect(await call(app, 'media:zones', {})).toEqual([{ serverId: ids.sw1, zoneId: ids.blr }]);
    // A save of the server's other settings leaves its media zone alone.
    const server = await call(app, 'fleet:get-server', { id: ids.sw1 });
    const { id: _id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _up, ...rest } = server;
    await call(app, 'fleet:update-server', { id: ids.sw1, draft: { ...rest, alias: 'sw1-renamed' } });
    expect(await call(app, 'media:zones', {})).toEqual([{ serverId: ids.sw1, zoneId: ids.blr }]);
    await call(app, 'media:set-zone', { serverId: ids.sw1, zoneId: null });
    expect(await call(app, 'media:zones', {})).toEqual([{ serverId: ids.sw1, zoneId: null }]);
  });

  it('the advisor flags a media zone that adds much more than the best measured', async () => {
    // Loopback paths differ by microseconds, so the stored measurement gets WAN-sized figures
    // (Bangalore 222 ms, New York 265 ms) written in, as a measurement of a real fleet would hold.
    const wan: MediaMeasurement = {
      ...m,
      id: 'wan-1',
      measuredAt: m.measuredAt + 1,
      zones: m.zones.map((z) => ({ ...z, pathMs: z.zoneId === ids.blr ? 222 : 265 })),
    };
    app.store.media.save(wan);
    await call(app, 'media:set-zone', { serverId: ids.sw1, zoneId: ids.ny });
    const findings = (await call(app, 'platform:advise', {})).filter((f) => f.rule === 'media-zone-detour');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe(
      `sw1-renamed's media zone New York adds 43.0 ms more round trip than Bangalore, the best zone measured (customer ${CUSTOMER}, carrier ${SIP_SERVER}).`,
    );
    await call(app, 'media:set-zone', { serverId: ids.sw1, zoneId: ids.blr });
    expect((await call(app, 'platform:advise', {})).filter((f) => f.rule === 'media-zone-detour')).toEqual([]);
  });
});
