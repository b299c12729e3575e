// A SIP message pasted from a trace can be kept in the history beside ping and mtr runs: the
// original text as `raw_output`, the inspection as `result`. SQLite cannot widen a CHECK in
// place, so the table is rebuilt inside this migration's transaction and every row copied over.
// A SIP message is only ever pasted (Switchyard does not "run" one), so the CHECK ties the kind
// 'sip' to the source 'pasted'.
export const sql = `
CREATE TABLE tool_runs_v7 (
  id          TEXT PRIMARY KEY,
  tool        TEXT NOT NULL CHECK (tool IN ('ping', 'mtr', 'sip')),
  source      TEXT NOT NULL CHECK (length(source) > 0),
  target      TEXT NOT NULL,
  params      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  raw_output  TEXT NOT NULL DEFAULT '',
  result      TEXT CHECK (result IS NULL OR json_valid(result)),
  error       TEXT,
  CHECK (tool <> 'sip' OR source = 'pasted')
);
INSERT INTO tool_runs_v7 (rowid, id, tool, source, target, params, started_at, ended_at, status, raw_output, result, error)
  SELECT rowid, id, tool, source, target, params, started_at, ended_at, status, raw_output, result, error FROM tool_runs;
DROP TABLE tool_runs;
ALTER TABLE tool_runs_v7 RENAME TO tool_runs;
CREATE INDEX tool_runs_started ON tool_runs(started_at DESC);
CREATE INDEX tool_runs_target ON tool_runs(target, started_at DESC);
`;
