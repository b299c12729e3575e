import { describe, expect, it } from 'vitest';
import { ServerRow } from '../../contract/fleet';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import type { StoredServer, StoredServerRow } from '../store/servers-repo';
import { openStore } from '../store/store';
import { listServerRows, listServers } from './server-list';

const NOW = Date.UTC(2026, 11, 3, 6, 0, 0);

function stored(id: string, ip: string, extra: Partial<StoredServer> = {}): StoredServer {
  return {
    ...defaultServerDraft('zone-1'),
    ip,
    alias: `sw-${id}`,
    id,
    installRecommended: false,
    updatePending: false,
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}

/** What the table shows of a whole stored record: the fields the store's `tableRows` reads. */
function tableRowOf(s: StoredServer): StoredServerRow {
  return {
    id: s.id,
    ip: s.ip,
    alias: s.alias,
    type: s.type,
    clusterId: s.clusterId,
    zoneId: s.zoneId,
    channels: s.channels,
    cps: s.cps,
    expiresAt: s.expiresAt,
    adminState: s.adminState,
    installRecommended: s.installRecommended,
    updatePending: s.updatePending,
    fqdn: s.config.fqdn,
  };
}

const withFqdn = (s: StoredServer, fqdn: string): StoredServer => ({ ...s, config: { ...s.config, fqdn } });

const fleet: StoredServer[] = [
  withFqdn(stored('a', '10.0.0.10'), 'a.example.net'),
  stored('b', '10.0.0.9', { adminState: 'stopped' }),
  stored('c', '9.1.1.1', { expiresAt: NOW - 1 }),
  stored('d', '10.0.0.200', { installRecommended: true, updatePending: true }),
];

describe('listServerRows', () => {
  it('lists the same servers in the same order with the same status as the full list', () => {
    const live = (id: string) => (id === 'a' ? 'degraded' : id === 'b' ? 'online' : null);
    const rows = listServerRows(fleet.map(tableRowOf), NOW, live);
    const full = listServers(fleet, NOW, live);
    expect(rows.map((r) => r.id)).toEqual(full.map((s) => s.id));
    expect(rows.map((r) => r.id)).toEqual(['c', 'b', 'a', 'd']);
    expect(rows.map((r) => r.status)).toEqual(full.map((s) => s.status));
    // Stopped and expired are the user's decisions and win over a live verdict; no verdict is unknown.
    expect(rows.map((r) => r.status)).toEqual(['expired', 'stopped', 'degraded', 'unknown']);
  });

  it('carries what the table shows and the FQDN, never the configuration or SSH settings', () => {
    const [a] = listServerRows([tableRowOf(fleet[0] as StoredServer)], NOW);
    expect(a).toEqual({
      id: 'a',
      ip: '10.0.0.10',
      alias: 'sw-a',
      type: fleet[0]?.type,
      clusterId: null,
      zoneId: 'zone-1',
      channels: fleet[0]?.channels,
      cps: fleet[0]?.cps,
      expiresAt: null,
      adminState: 'running',
      status: 'unknown',
      installRecommended: false,
      updatePending: false,
      fqdn: 'a.example.net',
    });
    expect(Object.keys(a ?? {})).not.toContain('config');
    expect(Object.keys(a ?? {})).not.toContain('ssh');
  });

  it('answers rows the contract accepts, flags included', () => {
    const rows = listServerRows(fleet.map(tableRowOf), NOW);
    expect(() => ServerRow.array().parse(rows)).not.toThrow();
    expect(rows.find((r) => r.id === 'd')).toMatchObject({ installRecommended: true, updatePending: true, fqdn: null });
  });
});

describe('the store’s table rows', () => {
  it('are what the whole records give, field for field and in the same order', () => {
    const store = openStore({ file: ':memory:' });
    try {
      store.zones.insert({ id: 'zone-1', name: 'Z', description: '', createdAt: 0 });
      const servers = [
        ...fleet,
        stored('e', '10.0.0.19', { adminState: 'stopped', channels: 7, cps: 3 }),
        stored('f', '2001:db8::5', { type: 'dispatcher', expiresAt: NOW + 1 }),
      ];
      for (const s of servers) store.servers.insert(s);
      const whole = store.servers.list();
      expect(whole.length).toBe(servers.length);
      expect(store.servers.tableRows()).toStrictEqual(whole.map(tableRowOf));
      expect(listServerRows(store.servers.tableRows(), NOW).map((r) => r.id)).toEqual(listServers(whole, NOW).map((s) => s.id));
      expect(store.servers.tableRows().find((r) => r.id === 'a')).toMatchObject({ fqdn: 'a.example.net', installRecommended: false });
      expect(store.servers.tableRows().find((r) => r.id === 'd')).toMatchObject({
        fqdn: null,
        installRecommended: true,
        updatePending: true,
      });
    } finally {
      store.close();
    }
  });
});
