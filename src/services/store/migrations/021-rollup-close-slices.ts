// A minute's close written in slices of series, each slice its own transaction, so that no
// transaction holds the event loop for the whole fleet (at 10,000 servers a close is about 60,000
// rollup upserts, a quarter of a second in one piece; see samples-rollups.ts).
//
// While a close is under way, series up to `closing_through` are rolled up below `closing_to`
// and the others below `closed_before`, as before: a raw row (series, at) is in the rollups
// exactly when `at` is below its series' mark. NULL `closing_to` means no close is under way. The
// last slice moves `closed_before` to `closing_to` and clears both. Every slice commits its rows
// and the new `closing_through` together, so a kill between slices leaves a state the next start
// carries on from.
//
// The rollup views add the raw rows past each series' own mark.
export const rollupView = (view: string, table: string, unit: number) => `
CREATE VIEW ${view} AS
  SELECT s.server_id, s.kind, u.bucket, sum(u.count) AS count, sum(u.lost) AS lost, sum(u.flagged) AS flagged,
         min(u.min_ms) AS min_ms, max(u.max_ms) AS max_ms, sum(u.sum_ms) AS sum_ms, sum(u.sumsq_ms) AS sumsq_ms, s.source
  FROM (
    SELECT series, bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms FROM ${table}
    UNION ALL
    SELECT b.series, x.bucket, x.count, x.lost, x.flagged, x.min_ms, x.max_ms, x.sum_ms, x.sumsq_ms
    FROM probe_rollup_block b JOIN probe_rollup_block_rows(b.start, b.unit, b.data) x WHERE b.unit = ${unit}
    UNION ALL
    SELECT r.series, r.at / ${unit} * ${unit}, count(*), count(*) FILTER (WHERE r.rtt_us IS NULL),
           count(*) FILTER (WHERE r.rtt_us IS NOT NULL AND r.code >= 500), min(r.rtt_us) / 1000.0, max(r.rtt_us) / 1000.0,
           total(r.rtt_us) / 1000.0, total(r.rtt_us * r.rtt_us) / 1000000.0
    FROM probe_raw r JOIN probe_rollup_mark m ON m.id = 1
    WHERE r.at >= CASE WHEN m.closing_to IS NOT NULL AND r.series <= m.closing_through THEN m.closing_to ELSE m.closed_before END
    GROUP BY r.series, r.at / ${unit}
  ) u JOIN probe_series s ON s.id = u.series
  GROUP BY u.series, u.bucket;
`;

export const sql = `
ALTER TABLE probe_rollup_mark ADD COLUMN closing_to INTEGER;
ALTER TABLE probe_rollup_mark ADD COLUMN closing_through INTEGER NOT NULL DEFAULT 0;

DROP VIEW probe_rollup_minute;
DROP VIEW probe_rollup_hour;
${rollupView('probe_rollup_minute', 'probe_minute', 60_000)}
${rollupView('probe_rollup_hour', 'probe_hour', 3_600_000)}
`;
