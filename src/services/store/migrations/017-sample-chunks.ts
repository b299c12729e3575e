// Raw samples packed per series into 15-minute chunks (see samples-chunks.ts and
// sample-chunk-codec.ts): about 1.3 bytes a sample instead of 21 for a row each.
//
// probe_chunk is an ordinary rowid table, not WITHOUT ROWID like the others: WITHOUT ROWID rows
// live in an index B-tree, which moves any payload past about 1 KB to an overflow page of its own
// (a chunk of a 1 s series is about that size, and its overflow page would be mostly empty); a
// table B-tree keeps rows of up to 4 KB on the leaf. The primary key's index gives the
// (series, start) range scan a chart needs.
//
// probe_series.sealed_before records how far each series is packed: raw rows before it are in
// chunks. It starts at 0 for every existing series, so the repository converts an existing
// database's raw rows series by series at its next open (sealBacklog), each series in its own
// transaction: this migration itself only adds the shapes, and the copy of the file migrate()
// makes before it is the safety net.
//
// The probe_samples view reads both, unpacking chunks through probe_chunk_samples, a table-valued
// function every connection opened by openDatabase registers (database.ts).
export const sql = `
CREATE TABLE probe_chunk (
  series INTEGER NOT NULL,
  start  INTEGER NOT NULL,
  n      INTEGER NOT NULL CHECK (n > 0),
  data   BLOB    NOT NULL,
  PRIMARY KEY (series, start)
);
ALTER TABLE probe_series ADD COLUMN sealed_before INTEGER NOT NULL DEFAULT 0;
CREATE INDEX probe_series_sealed ON probe_series(sealed_before);

DROP VIEW probe_samples;
CREATE VIEW probe_samples AS
  SELECT s.server_id, s.kind, r.at, r.rtt_us, r.code, s.source FROM probe_raw r JOIN probe_series s ON s.id = r.series
  UNION ALL
  SELECT s.server_id, s.kind, x.at, x.rtt_us, x.code, s.source
  FROM probe_chunk c JOIN probe_series s ON s.id = c.series JOIN probe_chunk_samples(c.start, c.data) x;
`;
