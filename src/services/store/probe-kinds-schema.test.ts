// The one list of probe kinds (contract/probe-kinds.ts) and the database agree: every declared
// code is accepted by a fresh database's CHECK, nothing past it is, and the derived tables round-trip.
// A new kind fails here until a migration widens the CHECK (old migrations are never edited).
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeKindName } from '../../contract/monitoring-methods';
import { CHARTED_KINDS, PROBE_KIND_LIST, PROBE_KINDS, PROBE_KIND_SPEC, SIP_KINDS } from '../../contract/probe-kinds';
import { SeriesInput } from '../../contract/monitoring-methods';
import { openDatabase, type Db } from './database';
import { migrate } from './migrate';
import { KIND_CODE, KIND_OF_CODE } from './sample-kinds';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function freshDb(): Db {
  db = openDatabase(':memory:');
  migrate(db, ':memory:', () => 0);
  return db;
}

describe('probe kinds: one list', () => {
  it('declares unique names and codes 1..N with nothing skipped', () => {
    const codes = PROBE_KIND_LIST.map((k) => k.code);
    expect(new Set(PROBE_KINDS).size).toBe(PROBE_KINDS.length);
    expect(codes).toEqual(Array.from({ length: codes.length }, (_, i) => i + 1));
  });

  it('derives the contract, the stored codes and the groups from the list', () => {
    expect(ProbeKindName.options).toEqual([...PROBE_KINDS]);
    for (const kind of PROBE_KINDS) {
      expect(KIND_OF_CODE.get(KIND_CODE[kind])).toBe(kind);
      expect(PROBE_KIND_SPEC[kind].name).toBe(kind);
    }
    expect(SIP_KINDS).toEqual(['sip-udp', 'sip-tcp', 'sip-tls']);
    expect(CHARTED_KINDS).toEqual(['sip-udp', 'icmp']);
    // The chart call's default and bound follow the list.
    const parsed = SeriesInput.parse({ serverId: 's1', range: '1h' });
    expect(parsed.kinds).toEqual(CHARTED_KINDS);
    expect(SeriesInput.safeParse({ serverId: 's1', range: '1h', kinds: [...PROBE_KINDS] }).success).toBe(true);
    const tooMany = SeriesInput.safeParse({ serverId: 's1', range: '1h', kinds: [...PROBE_KINDS, 'icmp'] });
    expect(tooMany.success).toBe(false);
  });

  it('matches the CHECK on every stored kind column of a fresh database', () => {
    const fresh = freshDb();
    const tables = fresh.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%kind%INTEGER%'").all() as {
      name: string;
      sql: string;
    }[];
    const checked = tables.flatMap(({ name, sql }) => {
      const m = /\bkind\s+INTEGER[^,]*CHECK\s*\(\s*kind\s+BETWEEN\s+(\d+)\s+AND\s+(\d+)\s*\)/i.exec(sql);
      return m ? [{ name, low: Number(m[1]), high: Number(m[2]) }] : [];
    });
    expect(checked.map((c) => c.name)).toContain('probe_series');
    const codes = PROBE_KIND_LIST.map((k) => k.code);
    for (const c of checked)
      expect({ table: c.name, low: c.low, high: c.high }).toEqual({ table: c.name, low: Math.min(...codes), high: Math.max(...codes) });
  });

  it('stores every declared code and refuses the next one', () => {
    const fresh = freshDb();
    const insert = fresh.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?)');
    for (const kind of PROBE_KINDS) expect(() => insert.run('s1', KIND_CODE[kind])).not.toThrow();
    expect(() => insert.run('s1', PROBE_KINDS.length + 1)).toThrow(/CHECK constraint failed/);
    expect(fresh.prepare('SELECT count(*) FROM probe_series').pluck().get()).toBe(PROBE_KINDS.length);
  });
});
