import { afterEach, describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import type { StoredServer } from '../store/servers-repo';
import { openStore, type Store } from '../store/store';
import { listUsage } from './usage';

// Live calls per server for the fleet table: all of them for a page's first read, and only the
// servers just polled for each push (a whole-fleet read per push is 10,000 rows a second at scale).

let store: Store | null = null;
afterEach(() => store?.close());

const NOW = Date.UTC(2026, 11, 3, 3, 0, 0);

function server(i: number): StoredServer {
  return {
    ...defaultServerDraft('z'),
    ip: `127.0.40.${i}`,
    alias: `sw${i}`,
    id: `srv-${i}`,
    installRecommended: false,
    updatePending: false,
    createdAt: 0,
    updatedAt: 0,
  };
}

function fleet() {
  const db = openStore({ file: ':memory:' });
  store = db;
  db.zones.insert({ id: 'z', name: 'Z', description: '', createdAt: 0 });
  for (const i of [3, 1, 2]) db.servers.insert(server(i));
  let listed = 0;
  const list = db.servers.list.bind(db.servers);
  db.servers.list = (...args: Parameters<typeof list>) => {
    listed += 1;
    return list(...args);
  };
  return { db, listed: () => listed };
}

const errors = (id: string) => (id === 'srv-2' ? 'Load of sw2 could not be read: refused' : null);

describe('listUsage', () => {
  it('every server, in address order, with its last poll error', () => {
    const { db } = fleet();
    const usage = listUsage(db, NOW, errors);
    expect(usage.map((u) => u.serverId)).toEqual(['srv-1', 'srv-2', 'srv-3']);
    expect(usage[1]).toMatchObject({
      serverId: 'srv-2',
      at: null,
      channelsInUse: null,
      pollError: 'Load of sw2 could not be read: refused',
    });
  });

  it('the servers named, each once, unknown ones left out, without reading the whole fleet', () => {
    const { db, listed } = fleet();
    const usage = listUsage(db, NOW, errors, ['srv-2', 'gone', 'srv-3', 'srv-2']);
    expect(usage.map((u) => u.serverId)).toEqual(['srv-2', 'srv-3']);
    expect(usage[0]?.pollError).toBe('Load of sw2 could not be read: refused');
    expect(listed()).toBe(0);
    expect(listUsage(db, NOW, errors, [])).toEqual([]);
  });
});
