// Migration 022 re-keys the raw head (minute, series, at): a database written by schema 21's
// repository shows the same raw rows, charts, recent samples and views after it, and the store
// goes on writing, closing and sealing on the new key.
import { describe, expect, it } from 'vitest';
import type { ProbeKind, Sample } from '../../src/domain/monitoring/sample';
import { openDatabase, type Db } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { LATEST_VERSION } from '../../src/services/store/migrations/index';
import { createSamplesRepo, type SamplesRepo } from '../../src/services/store/samples-repo';
import { openAtSchema } from '../helpers/old-schema';
import { probeSecond } from '../helpers/probe-seconds';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const T0 = Date.UTC(2026, 11, 4, 9, 0);
const SERVERS = 30;
const KINDS: readonly ProbeKind[] = ['sip-udp', 'icmp', 'tcp'];

/** One second of probes: a fifth of the fleet, three kinds, with losses and 503s. */
const second = (s: number): Sample[] => probeSecond(s, { t0: T0, servers: SERVERS, spread: 5, kinds: KINDS });

function write(repo: SamplesRepo, fromSecond: number, toSecond: number): void {
  for (let s = fromSecond; s < toSecond; s += 1) repo.insertBatch(second(s));
}

/** What a user sees of the head and around it: raw charts, recent samples, the SQL views, the rows. */
function seen(db: Db, repo: SamplesRepo, now: number): unknown {
  const servers = Array.from({ length: SERVERS }, (_, i) => `s${i}`);
  return {
    charts: servers.map((s) => repo.series(s, KINDS, now - 12 * 60_000, now, 2_000)),
    recent: servers.flatMap((s) => KINDS.map((k) => repo.recent(s, k, 40))),
    samples: db.prepare('SELECT * FROM probe_samples ORDER BY server_id, kind, at').all(),
    minutes: db.prepare('SELECT * FROM probe_rollup_minute ORDER BY server_id, kind, bucket').all(),
    raw: db.prepare('SELECT series, at, rtt_us, code FROM probe_raw ORDER BY series, at').all(),
  };
}

describe('raw head re-keyed by minute (migration 022)', () => {
  it('keeps every raw row, chart and view of a schema-21 database, then writes and seals on the new key', () => {
    const file = `${tempDir()}/store.db`;
    const mid = T0 + 10 * 60_000;
    const old = openAtSchema(file, 21);
    let before: unknown;
    try {
      const repo = createSamplesRepo(old, { now: () => mid });
      write(repo, 0, 600);
      before = seen(old, repo, mid);
      expect((before as { raw: unknown[] }).raw.length).toBeGreaterThan(5_000);
    } finally {
      old.close();
    }

    const db = openDatabase(file);
    try {
      migrate(db, file, () => mid);
      expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(LATEST_VERSION);
      expect(db.prepare("SELECT count(*) FROM pragma_table_info('probe_raw') WHERE name = 'minute'").pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM probe_raw WHERE minute <> at / 60000').pluck().get()).toBe(0);
      let now = mid;
      const repo = createSamplesRepo(db, { now: () => now });
      expect(seen(db, repo, mid)).toEqual(before);

      // Twenty minutes more: the first quarter hour is sealed into chunks from the new head.
      write(repo, 600, 1_800);
      now = T0 + 30 * 60_000;
      expect(db.prepare('SELECT count(*) FROM probe_chunk').pluck().get()).toBeGreaterThan(0);
      expect(db.prepare('SELECT min(at) FROM probe_raw').pluck().get()).toBeGreaterThanOrEqual(T0 + 15 * 60_000);
      const stored = Number(db.prepare('SELECT count(*) FROM probe_samples').pluck().get());
      let expected = 0;
      for (let s = 0; s < 1_800; s += 1) expected += second(s).length;
      expect(stored).toBe(expected);
      const chart = repo.series('s3', KINDS, T0, now, 2_000);
      const counted = KINDS.reduce((n, k) => n + (chart.points[k] ?? []).reduce((c, p) => c + p.count, 0), 0);
      expect(counted).toBe(3 * (1_800 / 5));
    } finally {
      db.close();
    }
  });
});
