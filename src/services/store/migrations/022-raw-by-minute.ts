// The raw head keyed by minute first: (minute, series, at) instead of (series, at).
//
// Keyed by series, each series' newest rows sit on a page of their own once its head passes a
// page (a quarter hour at 5 s is about 180 rows), so every sample written dirtied its own page:
// at 10,000 servers × 3 kinds that is 6,000 pages a second through the WAL and back, and a head
// of 30,000 pages that no longer fits the page cache. Keyed by minute first, one minute's rows of
// all series sit together, series by series: a slice of samples from neighbouring series lands on
// a few pages of the current minute, and the pages being written are the newest minute's only.
// A series' rows are still one seek per minute of the head (raw-head.ts walks the minutes that
// are present), and a minute's close reads one contiguous range of series per minute.
//
// `minute` is `at / 60000` (integer division; the CHECK holds every writer to it). The rows are
// copied over in this migration's transaction: the head of a live store is its last quarter hour
// or so (sealed chunks hold the rest); migrate() copies the file before, as for every migration.
import { rollupView } from './021-rollup-close-slices';

export const sql = `
DROP VIEW probe_samples;
DROP VIEW probe_rollup_minute;
DROP VIEW probe_rollup_hour;

CREATE TABLE probe_raw_by_minute (
  minute    INTEGER NOT NULL CHECK (minute = at / 60000),
  series    INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  rtt_us    INTEGER CHECK (rtt_us IS NULL OR rtt_us >= 0),
  code      INTEGER CHECK (code IS NULL OR code BETWEEN 100 AND 699),
  PRIMARY KEY (minute, series, at)
) WITHOUT ROWID;
INSERT INTO probe_raw_by_minute (minute, series, at, rtt_us, code)
  SELECT at / 60000, series, at, rtt_us, code FROM probe_raw ORDER BY at / 60000, series, at;
DROP TABLE probe_raw;
ALTER TABLE probe_raw_by_minute RENAME TO probe_raw;

CREATE VIEW probe_samples AS
  SELECT s.server_id, s.kind, r.at, r.rtt_us, r.code, s.source FROM probe_raw r JOIN probe_series s ON s.id = r.series
  UNION ALL
  SELECT s.server_id, s.kind, x.at, x.rtt_us, x.code, s.source
  FROM probe_chunk c JOIN probe_series s ON s.id = c.series JOIN probe_chunk_samples(c.start, c.data) x;
${rollupView('probe_rollup_minute', 'probe_minute', 60_000)}
${rollupView('probe_rollup_hour', 'probe_hour', 3_600_000)}
`;
