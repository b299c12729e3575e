import { describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../fleet/defaults';
import { diffFleets, flatten, isEmptyDiff, type FleetPicture, type PictureServer } from './diff';

function server(id: string, ip: string, alias: string, overrides: Partial<PictureServer> = {}): PictureServer {
  return { ...defaultServerDraft('z1'), id, ip, alias, installRecommended: false, updatePending: false, ...overrides };
}

function picture(servers: PictureServer[], extra: Partial<FleetPicture> = {}): FleetPicture {
  return {
    servers,
    zones: [{ id: 'z1', name: 'EU', description: '' }],
    clusters: [{ id: 'c1', name: 'core', description: 'main' }],
    rtp: [],
    ...extra,
  };
}

describe('diffFleets', () => {
  it('finds nothing between a picture and itself', () => {
    const p = picture([server('a', '127.0.10.1', 'sw1')]);
    expect(isEmptyDiff(diffFleets(p, p))).toBe(true);
  });

  it('keys servers by IP: added, removed, and changed field by field with config paths', () => {
    const base = server('a', '127.0.10.1', 'sw1');
    const a = picture([base, server('b', '127.0.10.2', 'sw2')]);
    const changed = { ...base, channels: base.channels + 100, config: { ...base.config, ports: { ...base.config.ports, udp: 5080 } } };
    const b = picture([changed, server('c', '127.0.10.3', 'sw3')]);
    const d = diffFleets(a, b);
    expect(d.servers.added).toEqual([{ ip: '127.0.10.3', label: 'sw3' }]);
    expect(d.servers.removed).toEqual([{ ip: '127.0.10.2', label: 'sw2' }]);
    expect(d.servers.changed).toEqual([
      {
        ip: '127.0.10.1',
        label: 'sw1',
        fields: [
          { field: 'channels', old: base.channels, new: base.channels + 100 },
          { field: 'config.ports.udp', old: base.config.ports.udp, new: 5080 },
        ],
      },
    ]);
  });

  it('compares cluster, zone and failover target by name, not by internal id', () => {
    const a = picture([server('a', '127.0.10.1', 'sw1', { clusterId: 'c1' }), server('b', '127.0.10.2', 'sw2')]);
    // The same fleet imported elsewhere: every id differs, nothing else does.
    const b = picture(
      [server('x', '127.0.10.1', 'sw1', { clusterId: 'k9', zoneId: 'q' }), server('y', '127.0.10.2', 'sw2', { zoneId: 'q' })],
      {
        zones: [{ id: 'q', name: 'EU', description: '' }],
        clusters: [{ id: 'k9', name: 'core', description: 'main' }],
      },
    );
    expect(isEmptyDiff(diffFleets(a, b))).toBe(true);
  });

  it('reports clusters, zones and RTP servers added, removed and changed', () => {
    const a = picture([], { rtp: [{ ip: '127.0.40.1', alias: 'rtp1', zoneId: 'z1' }] });
    const b = picture([], {
      clusters: [
        { id: 'c1', name: 'core', description: 'renamed purpose' },
        { id: 'c2', name: 'edge', description: '' },
      ],
      zones: [{ id: 'z1', name: 'EU', description: '' }],
      rtp: [{ ip: '127.0.40.1', alias: 'rtp-one', zoneId: 'z1' }],
    });
    const d = diffFleets(a, b);
    expect(d.clusters.added).toEqual([{ name: 'edge', label: 'edge' }]);
    expect(d.clusters.changed[0]?.fields).toEqual([{ field: 'description', old: 'main', new: 'renamed purpose' }]);
    expect(d.rtp.changed[0]).toEqual({ ip: '127.0.40.1', label: 'rtp-one', fields: [{ field: 'alias', old: 'rtp1', new: 'rtp-one' }] });
  });

  it('ignores bookkeeping that no one edits', () => {
    const s = server('a', '127.0.10.1', 'sw1');
    const later = { ...s, createdAt: 1, updatedAt: 2, status: 'online' } as PictureServer;
    expect(isEmptyDiff(diffFleets(picture([s]), picture([later])))).toBe(true);
  });

  it('flattens nested objects into dotted paths', () => {
    expect(flatten({ a: { b: { c: 1 } }, d: null, e: [1, 2] })).toEqual({ 'a.b.c': 1, d: null, e: '[1,2]' });
  });
});
