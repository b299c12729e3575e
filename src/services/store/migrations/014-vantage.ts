// Probes from the servers' own vantage points.
//
// A series gains a source: 'local' for this workstation (every series so far), or the id of the
// fleet server whose fping measured it. The big tables stay keyed by the small series id, so a
// sample from a vantage point costs what a local one does and the rollups come per (source,
// target, kind) with no change to how they are written or read. SQLite cannot change a UNIQUE
// constraint in place, so probe_series is rebuilt: same ids (the raw and rollup rows keep pointing
// at them), the AUTOINCREMENT high-water mark carried over so a forgotten id is still never reused,
// and the views dropped and made again with the source column added at the end.
//
// The unique index leads with (server_id, kind), so the lookups that found a series by server
// and kind before find it by server, kind and source now with the same single index seek.
//
// A vantage target is a string id in server_id: a switch's server id, `rtp_<id>` for an RTP
// server, `addr_<n>` for an address the operator added. None carries a foreign key, as before.
//
// vantage_config holds the choice (off until turned on, so no host opens SSH connections to every
// dispatcher by surprise; when on, the dispatchers unless servers are chosen). vantage_state is
// what the running host last said about each stream, so a one-shot CLI can show it too.
const rollupView = (view: string, table: string, unit: number) => `
CREATE VIEW ${view} AS
  SELECT s.server_id, s.kind, u.bucket, sum(u.count) AS count, sum(u.lost) AS lost, sum(u.flagged) AS flagged,
         min(u.min_ms) AS min_ms, max(u.max_ms) AS max_ms, sum(u.sum_ms) AS sum_ms, sum(u.sumsq_ms) AS sumsq_ms, s.source
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
DROP VIEW probe_samples;
DROP VIEW probe_rollup_minute;
DROP VIEW probe_rollup_hour;

CREATE TABLE probe_series_next (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  source    TEXT    NOT NULL DEFAULT 'local' CHECK (length(source) BETWEEN 1 AND 64),
  UNIQUE (server_id, kind, source)
);
INSERT INTO probe_series_next (id, server_id, kind, source) SELECT id, server_id, kind, 'local' FROM probe_series;
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'probe_series_next', seq FROM sqlite_sequence WHERE name = 'probe_series'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'probe_series_next');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'probe_series'), 0))
  WHERE name = 'probe_series_next';
DROP TABLE probe_series;
ALTER TABLE probe_series_next RENAME TO probe_series;
-- Series of one vantage point (its status, forgetting it) without a scan.
CREATE INDEX probe_series_source ON probe_series(source);

CREATE VIEW probe_samples AS
  SELECT s.server_id, s.kind, r.at, r.rtt_us, r.code, s.source FROM probe_raw r JOIN probe_series s ON s.id = r.series;
${rollupView('probe_rollup_minute', 'probe_minute', 60_000)}
${rollupView('probe_rollup_hour', 'probe_hour', 3_600_000)}

CREATE TABLE vantage_config (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  enabled     INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  sources     TEXT    NOT NULL DEFAULT 'dispatchers' CHECK (sources IN ('dispatchers', 'chosen')),
  interval_ms INTEGER NOT NULL DEFAULT 5000 CHECK (interval_ms BETWEEN 1000 AND 60000),
  switches    INTEGER NOT NULL DEFAULT 1 CHECK (switches IN (0, 1)),
  rtp         INTEGER NOT NULL DEFAULT 1 CHECK (rtp IN (0, 1))
);
INSERT INTO vantage_config (id) VALUES (1);

CREATE TABLE vantage_sources (
  server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE
);

CREATE TABLE vantage_targets (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  address TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  label   TEXT    NOT NULL
);

CREATE TABLE vantage_state (
  source_id  TEXT    PRIMARY KEY,
  state      TEXT    NOT NULL,
  reason     TEXT    NOT NULL DEFAULT '',
  since      INTEGER NOT NULL,
  detail     TEXT    NOT NULL DEFAULT '{}'
);
`;
