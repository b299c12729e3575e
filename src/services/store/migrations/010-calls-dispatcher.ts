// Live calls and the call rate read by the load poll, and each dispatcher's own view of its
// destinations.
//
// server_load gains what Kamailio's dialog statistics said at each poll: calls ringing (the
// existing `channels` column keeps the channels in use, answered plus ringing), the cumulative
// dialog counter with the server's clock and Kamailio's uptime when it was read (so the next poll
// can tell the rate, and a restart), the rate itself, and why calls could not be read (null when
// they were, or when the probe does not read them).
//
// dispatcher_reads keeps one row per dispatcher: when its destinations were last read and, apart,
// when a read last failed and why. A failed read never replaces the destinations of the last good
// one (they are shown with their age); a good read replaces them whole.
export const sql = `
ALTER TABLE server_load ADD COLUMN calls_early INTEGER;
ALTER TABLE server_load ADD COLUMN calls_processed INTEGER;
ALTER TABLE server_load ADD COLUMN calls_clock_sec REAL;
ALTER TABLE server_load ADD COLUMN kamailio_uptime_sec INTEGER;
ALTER TABLE server_load ADD COLUMN cps REAL;
ALTER TABLE server_load ADD COLUMN calls_error TEXT;

CREATE TABLE dispatcher_reads (
  server_id   TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  read_at     INTEGER,
  command     TEXT NOT NULL DEFAULT '',
  error       TEXT,
  error_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE dispatcher_destinations (
  server_id    TEXT NOT NULL REFERENCES dispatcher_reads(server_id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  set_id       INTEGER NOT NULL,
  uri          TEXT NOT NULL,
  flags        TEXT NOT NULL,
  priority     INTEGER,
  attrs        TEXT,
  weight       INTEGER,
  latency_avg_ms REAL,
  latency_std_ms REAL,
  latency_est_ms REAL,
  latency_max_ms REAL,
  latency_timeouts INTEGER,
  has_latency  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (server_id, position)
) WITHOUT ROWID;
`;
