// Monitoring history: raw probe samples and per-minute and per-hour rollups.
//
// Raw rows are keyed by (server, kind, time) in a WITHOUT ROWID table: a chart reads one server's
// range as a single index scan, and retention deletes a range per series instead of scanning
// every row. Kinds are small integers (1 sip-udp, 2 sip-tcp, 3 sip-tls, 4 icmp, 5 tcp) and round
// trips whole microseconds: on a hundred million rows that is gigabytes saved over text and REAL.
// Server ids carry no foreign key on purpose: a server deleted while its last samples wait in the
// writer's batch must not make the whole batch fail; its history is removed explicitly.
//
// The file gives freed pages back through incremental vacuum. auto_vacuum can only change on an
// empty database or through VACUUM, and VACUUM cannot run inside the transaction each migration
// runs in, so the switch is made by the samples repository right after migrating (see
// enableIncrementalVacuum in samples-repo.ts); the pragma here records the wish for that VACUUM.
export const sql = `
PRAGMA auto_vacuum = INCREMENTAL;

CREATE TABLE probe_samples (
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  at        INTEGER NOT NULL,
  rtt_us    INTEGER CHECK (rtt_us IS NULL OR rtt_us >= 0),
  code      INTEGER CHECK (code IS NULL OR code BETWEEN 100 AND 699),
  PRIMARY KEY (server_id, kind, at)
) WITHOUT ROWID;

CREATE TABLE probe_rollup_minute (
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  bucket    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  lost      INTEGER NOT NULL,
  flagged   INTEGER NOT NULL,
  min_ms    REAL,
  max_ms    REAL,
  sum_ms    REAL    NOT NULL,
  sumsq_ms  REAL    NOT NULL,
  hist      BLOB    NOT NULL,
  PRIMARY KEY (server_id, kind, bucket)
) WITHOUT ROWID;

CREATE TABLE probe_rollup_hour (
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  bucket    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  lost      INTEGER NOT NULL,
  flagged   INTEGER NOT NULL,
  min_ms    REAL,
  max_ms    REAL,
  sum_ms    REAL    NOT NULL,
  sumsq_ms  REAL    NOT NULL,
  hist      BLOB    NOT NULL,
  PRIMARY KEY (server_id, kind, bucket)
) WITHOUT ROWID;

-- Which (server, kind) pairs have history: retention walks these instead of the big tables.
CREATE TABLE probe_series (
  server_id TEXT    NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  PRIMARY KEY (server_id, kind)
) WITHOUT ROWID;
`;
