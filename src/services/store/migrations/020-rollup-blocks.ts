// Minute and hour rollups packed per series into blocks (see rollup-blocks.ts and
// rollup-block-codec.ts): a day of minutes or thirty days of hours in one BLOB, a few bytes a row instead of 73 and 89 for a row each.
//
// probe_rollup_block is a rowid table like probe_chunk (migration 017): a block of minutes is a
// few kilobytes, and a table B-tree lets SQLite fill whole overflow pages with it where an index B-tree
// (WITHOUT ROWID) would leave most of each overflow page empty. The primary key gives the
// (series, unit, start) range scan a chart needs.
//
// probe_minute and probe_hour stay as the open stretch: rows are written there as before while
// their hour is open, and packed into blocks once the rollup watermark has passed their hour.
// probe_series.rollups_packed_before records how far each series is packed. It starts at 0 for
// every existing series, so the repository converts an existing database's rollup rows series by
// series at its next open, each series in its own transaction (bounded memory; a kill leaves each
// series packed or not, and the next open carries on). This migration only adds the shapes, and
// the copy of the file migrate() makes before it is the safety net.
//
// The rollup views read the blocks too, through probe_rollup_block_rows, a table-valued function
// every connection opened by openDatabase registers (database.ts).
const rollupView = (view: string, table: string, unit: number) => `
CREATE VIEW ${view} AS
  SELECT s.server_id, s.kind, u.bucket, sum(u.count) AS count, sum(u.lost) AS lost, sum(u.flagged) AS flagged,
         min(u.min_ms) AS min_ms, max(u.max_ms) AS max_ms, sum(u.sum_ms) AS sum_ms, sum(u.sumsq_ms) AS sumsq_ms, s.source
  FROM (
    SELECT series, bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms FROM ${table}
    UNION ALL
    SELECT b.series, x.bucket, x.count, x.lost, x.flagged, x.min_ms, x.max_ms, x.sum_ms, x.sumsq_ms
    FROM probe_rollup_block b JOIN probe_rollup_block_rows(b.start, b.unit, b.data) x WHERE b.unit = ${unit}
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
CREATE TABLE probe_rollup_block (
  series INTEGER NOT NULL,
  unit   INTEGER NOT NULL CHECK (unit IN (60000, 3600000)),
  start  INTEGER NOT NULL,
  n      INTEGER NOT NULL CHECK (n > 0),
  data   BLOB    NOT NULL,
  PRIMARY KEY (series, unit, start)
);
ALTER TABLE probe_series ADD COLUMN rollups_packed_before INTEGER NOT NULL DEFAULT 0;
CREATE INDEX probe_series_rollups_packed ON probe_series(rollups_packed_before);

DROP VIEW probe_rollup_minute;
DROP VIEW probe_rollup_hour;
${rollupView('probe_rollup_minute', 'probe_minute', 60_000)}
${rollupView('probe_rollup_hour', 'probe_hour', 3_600_000)}
`;
