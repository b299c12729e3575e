// Monitoring history: raw probe samples and per-minute and per-hour rollups.
//
// Each (server, probe kind) pair is a series with a small integer id, and the big tables are keyed
// by that id instead of the server's 36-character UUID: a raw row's key is then a dozen bytes, not
// fifty, so four times as many fit a page and a flush dirties fewer of them (ingest ran three times
// faster in test/bench/ingest.ts). The id is AUTOINCREMENT so a forgotten series' id is never
// handed to another server. Kinds are small integers (1 sip-udp, 2 sip-tcp, 3 sip-tls, 4 icmp,
// 5 tcp) and round trips whole microseconds.
//
// Raw rows are keyed by (series, time) in a WITHOUT ROWID table: a chart reads one series' range
// as a single index scan, and retention deletes a range per series.
//
// Rollups are keyed by (series, bucket) too, so a chart's 720 hour rows are one contiguous read.
// They are written once a minute (see samples-rollups.ts), so writes landing on one page per
// series cost little; keyed by time first, a 30-day chart took 35-75 ms of scattered page reads
// instead of a few (test/bench/chart-query.ts).
//
// Server ids carry no foreign key on purpose: a server deleted while its last samples wait in the
// writer's batch must not make the whole batch fail; its history is removed explicitly.
//
// The views give the tables their readable shape (server id and kind per row) for inspection,
// snapshots and anything that reads history without the repository.
//
// The file gives freed pages back through incremental vacuum. auto_vacuum can only change on an
// empty database or through VACUUM, and VACUUM cannot run inside the transaction each migration
// runs in, so the switch is made by the samples repository right after migrating (see
// enableIncrementalVacuum in samples-repo.ts); the pragma here records the wish for that VACUUM.
const rollupTable = (name: string) => `
CREATE TABLE ${name} (
  bucket    INTEGER NOT NULL,
  series    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  lost      INTEGER NOT NULL,
  flagged   INTEGER NOT NULL,
  min_ms    REAL,
  max_ms    REAL,
  sum_ms    REAL    NOT NULL,
  sumsq_ms  REAL    NOT NULL,
  hist      BLOB    NOT NULL,
  PRIMARY KEY (series, bucket)
) WITHOUT ROWID;
`;

// Rolled-up rows plus the raw rows past the watermark that no flush has rolled up yet, so the
// view always agrees with probe_samples (the histogram lives in the tables only).
const rollupView = (view: string, table: string, unit: number) => `
CREATE VIEW ${view} AS
  SELECT s.server_id, s.kind, u.bucket, sum(u.count) AS count, sum(u.lost) AS lost, sum(u.flagged) AS flagged,
         min(u.min_ms) AS min_ms, max(u.max_ms) AS max_ms, sum(u.sum_ms) AS sum_ms, sum(u.sumsq_ms) AS sumsq_ms
  FROM (
    SELECT series, bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms FROM ${table}
    UNION ALL
    SELECT series, at / ${unit} * ${unit}, count(*), count(*) FILTER (WHERE rtt_us IS NULL),
           count(*) FILTER (WHERE rtt_us IS NOT NULL AND code >= 500), min(rtt_us) / 1000.0, max(rtt_us) / 1000.0,
           total(rtt_us) / 1000.0, total(rtt_us * rtt_us) / 1000000.0
    FROM probe_raw WHERE at >= (SELECT closed_before FROM probe_rollup_mark WHERE id = 1)
    GROUP BY series, at / ${unit}
  ) u JOIN probe_series s ON s.id = u.series
  GROUP BY u.series, u.bucket;
`;

export const sql = `
PRAGMA auto_vacuum = INCREMENTAL;

-- Which (server, kind) pairs have history: retention walks these instead of the big tables.
CREATE TABLE probe_series (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  UNIQUE (server_id, kind)
);

CREATE TABLE probe_raw (
  series    INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  rtt_us    INTEGER CHECK (rtt_us IS NULL OR rtt_us >= 0),
  code      INTEGER CHECK (code IS NULL OR code BETWEEN 100 AND 699),
  PRIMARY KEY (series, at)
) WITHOUT ROWID;
${rollupTable('probe_minute')}
${rollupTable('probe_hour')}
-- Raw rows before this time are in both rollup tables, rows from it on in neither (see
-- samples-rollups.ts: rollups are written when a minute closes, not on every flush).
CREATE TABLE probe_rollup_mark (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  closed_before INTEGER NOT NULL
);
INSERT INTO probe_rollup_mark (id, closed_before) VALUES (1, 0);
CREATE VIEW probe_samples AS
  SELECT s.server_id, s.kind, r.at, r.rtt_us, r.code FROM probe_raw r JOIN probe_series s ON s.id = r.series;
${rollupView('probe_rollup_minute', 'probe_minute', 60_000)}
${rollupView('probe_rollup_hour', 'probe_hour', 3_600_000)}
`;
