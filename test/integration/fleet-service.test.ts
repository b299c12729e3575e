import { describe, expect, it } from 'vitest';
import { draftOf } from '../../src/domain/fleet/draft';
import { useTempDirs } from '../helpers/temp-dir';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';

const tempDir = useTempDirs();

async function seeded() {
  const app = openTestHost(tempDir());
  const zone = await call(app, 'fleet:create-zone', { name: 'US-East', description: '' });
  const core = await call(app, 'fleet:create-cluster', { name: 'core', description: '' });
  const edge = await call(app, 'fleet:create-cluster', { name: 'edge', description: '' });
  const a = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.11', alias: 'sw-a', clusterId: core.id }));
  const b = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.12', alias: 'sw-b', clusterId: core.id }));
  return { app, zone, core, edge, a, b };
}

describe('fleet service through the contract', () => {
  it('refuses a duplicate IP, written differently, naming the field, and saves nothing', async () => {
    const { app, zone } = await seeded();
    const result = await app.dispatch('fleet:create-server', draft(zone.id, { ip: ' 127.0.0.11 ', alias: 'other' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', field: 'ip' } });
    expect((await call(app, 'fleet:list-servers', {})).length).toBe(2);
    app.close();
  });

  it('marks Install recommended when a Server Config setting changes, not for capacity or alias', async () => {
    const { app, a } = await seeded();
    const renamed = await call(app, 'fleet:update-server', { id: a.id, draft: { ...draftOf(a), alias: 'sw-a1', cps: 77 } });
    expect(renamed.installRecommended).toBe(false);
    const rest = draftOf(renamed);
    const changed = await call(app, 'fleet:update-server', {
      id: a.id,
      draft: { ...rest, config: { ...rest.config, ports: { ...rest.config.ports, tcp: 5080 } } },
    });
    expect(changed.installRecommended).toBe(true);
    expect(changed.config.ports).toEqual({ udp: 5060, tcp: 5080, tls: 5061 });
    app.close();
  });

  it('refuses WebRTC/TLS without an FQDN and a failover target outside the cluster', async () => {
    const { app, zone, edge, a } = await seeded();
    const other = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.13', alias: 'sw-c', clusterId: edge.id }));
    const noFqdn = await app.dispatch(
      'fleet:create-server',
      draft(zone.id, { ip: '127.0.0.14', alias: 'sw-d', config: { ...draft(zone.id).config, webrtcTls: true } }),
    );
    expect(noFqdn).toMatchObject({ ok: false, error: { field: 'config.fqdn' } });
    const base = draft(zone.id, { ip: a.ip, alias: a.alias, clusterId: a.clusterId });
    const outside = await app.dispatch('fleet:update-server', {
      id: a.id,
      draft: { ...base, config: { ...base.config, capacityFailover: { enabled: true, targetId: other.id } } },
    });
    expect(outside).toMatchObject({ ok: false, error: { field: 'config.capacityFailover.targetId' } });
    app.close();
  });

  it('deleting a cluster with members needs a decision; unassign and move both keep the servers', async () => {
    const { app, core, edge, a } = await seeded();
    const refused = await app.dispatch('fleet:delete-cluster', { id: core.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const moved = await call(app, 'fleet:delete-cluster', { id: core.id, members: 'move', moveTo: edge.id });
    expect(moved).toEqual({ deleted: 1, membersMoved: 2, membersUnassigned: 0 });
    const servers = await call(app, 'fleet:list-servers', {});
    expect(servers.every((s) => s.clusterId === edge.id && s.installRecommended)).toBe(true);
    const gone = await call(app, 'fleet:delete-cluster', { id: edge.id, members: 'unassign' });
    expect(gone.membersUnassigned).toBe(2);
    expect((await call(app, 'fleet:get-server', { id: a.id })).clusterId).toBeNull();
    app.close();
  });

  it('clears failover pointing at a deleted server, and refuses to delete a zone in use', async () => {
    const { app, zone, a, b } = await seeded();
    const base = draft(zone.id, { ip: a.ip, alias: a.alias, clusterId: a.clusterId });
    await call(app, 'fleet:update-server', {
      id: a.id,
      draft: { ...base, config: { ...base.config, capacityFailover: { enabled: true, targetId: b.id } } },
    });
    await call(app, 'fleet:delete-servers', { ids: [b.id] });
    const after = await call(app, 'fleet:get-server', { id: a.id });
    expect(after.config.capacityFailover).toEqual({ enabled: false, targetId: null });
    const zoneDelete = await app.dispatch('fleet:delete-zone', { id: zone.id });
    expect(zoneDelete).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Zone "US-East" still holds 1 server: move or delete them first.' },
    });
    app.close();
  });

  it('derives Expired once the test period has passed', async () => {
    let now = Date.UTC(2026, 0, 1);
    const app = openTestHost(tempDir(), () => now);
    const zone = await call(app, 'fleet:create-zone', { name: 'EU', description: '' });
    const s = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.2', alias: 'trial', expiresAt: now + 1000 }));
    expect(s.status).toBe('unknown');
    now += 1000;
    expect((await call(app, 'fleet:get-server', { id: s.id })).status).toBe('expired');
    app.close();
  });

  it('imports all or nothing: a bad last row leaves zones, clusters and servers untouched', async () => {
    const app = openTestHost(tempDir());
    const csv = [
      'kind,ip,alias,type,cluster,zone,channels,cps',
      'server,127.0.1.1,a1,switch,new-cluster,new-zone,100,10',
      'server,127.0.1.2,a2,switch,new-cluster,new-zone,100,10',
      'server,127.0.1.3,a3,switch,new-cluster,new-zone,100,ten',
    ].join('\n');
    const result = await app.dispatch('fleet:import', { format: 'csv', text: csv });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', row: 4, field: 'cps' } });
    expect(await call(app, 'fleet:list-servers', {})).toEqual([]);
    expect(await call(app, 'fleet:list-zones', {})).toEqual([]);
    expect(await call(app, 'fleet:list-clusters', {})).toEqual([]);
    app.close();
  });

  it('loads the demo fleet into an empty fleet only, and its addresses are all loopback', async () => {
    const app = openTestHost(tempDir());
    const summary = await call(app, 'fleet:load-demo', {});
    expect(summary.servers).toBeGreaterThanOrEqual(12);
    const servers = await call(app, 'fleet:list-servers', {});
    expect(servers.every((s) => s.ip.startsWith('127.'))).toBe(true);
    expect(new Set(servers.map((s) => s.type))).toEqual(new Set(['dispatcher', 'switch']));
    expect((await call(app, 'fleet:list-rtp', {})).every((r) => r.ip.startsWith('127.'))).toBe(true);
    expect(await app.dispatch('fleet:load-demo', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    app.close();
  });

  it('export then import into a fresh folder gives the same fleet', async () => {
    const app = openTestHost(tempDir());
    await call(app, 'fleet:load-demo', {});
    for (const format of ['json', 'csv'] as const) {
      const { text } = await call(app, 'fleet:export', { format });
      const copy = openTestHost(tempDir());
      await call(copy, 'fleet:import', { format, text });
      expect(await listNamed(copy)).toEqual(await listNamed(app));
      copy.close();
    }
    app.close();
  });
});

/** Servers with ids replaced by names, so two databases can be compared. */
async function listNamed(app: ReturnType<typeof openTestHost>) {
  const zones = await call(app, 'fleet:list-zones', {});
  const clusters = await call(app, 'fleet:list-clusters', {});
  const servers = await call(app, 'fleet:list-servers', {});
  const name = (list: { id: string; name: string }[], id: string | null) => list.find((g) => g.id === id)?.name ?? null;
  return servers.map(({ id: _id, createdAt: _c, updatedAt: _u, ...s }) => ({
    ...s,
    zoneId: name(zones, s.zoneId),
    clusterId: name(clusters, s.clusterId),
    config: {
      ...s.config,
      capacityFailover: {
        ...s.config.capacityFailover,
        targetId: servers.find((t) => t.id === s.config.capacityFailover.targetId)?.alias ?? null,
      },
    },
  }));
}
