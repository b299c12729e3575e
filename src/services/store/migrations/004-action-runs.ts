// The audit log of server actions and the load each server reports over SSH.
//
// A run is one action on a selection of servers; each server's result keeps its full output
// (never truncated here: the view cuts it). No foreign key from results to servers: the log must
// outlive a server that is later removed, so the alias and IP are copied in at run time.
// `origin` says where the request came from ('web', 'desktop', 'cli') or 'automatic' for an
// update applied by Auto Upgrade; `requested_by` is the OS user of the console.
export const sql = `
CREATE TABLE action_runs (
  id            TEXT PRIMARY KEY,
  action        TEXT NOT NULL,
  label         TEXT NOT NULL,
  params        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  options       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
  requested_by  TEXT NOT NULL,
  origin        TEXT NOT NULL CHECK (origin IN ('web', 'desktop', 'cli', 'automatic')),
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  stopped_by    TEXT
);
CREATE INDEX action_runs_started ON action_runs(started_at DESC);

CREATE TABLE action_results (
  run_id        TEXT NOT NULL REFERENCES action_runs(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL CHECK (position >= 0),
  server_id     TEXT NOT NULL,
  server_alias  TEXT NOT NULL,
  server_ip     TEXT NOT NULL,
  command       TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'skipped', 'cancelled')),
  exit_code     INTEGER,
  error         TEXT,
  started_at    INTEGER,
  ended_at      INTEGER,
  output        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, position)
);
CREATE INDEX action_results_server ON action_results(server_id, run_id);

CREATE TABLE server_load (
  server_id        TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  at               INTEGER NOT NULL,
  load1            REAL NOT NULL,
  load5            REAL NOT NULL,
  load15           REAL NOT NULL,
  mem_total_kb     INTEGER NOT NULL,
  mem_available_kb INTEGER,
  uptime_sec       REAL NOT NULL,
  channels         INTEGER,
  pending_updates  INTEGER,
  PRIMARY KEY (server_id, at)
) WITHOUT ROWID;
`;
