// Runs of ping and mtr, live or pasted, kept with everything needed to show them again without
// re-running: the raw output as the tool wrote it, and the parsed result beside it (so a parser
// fix can re-read old runs from `raw_output`). `source` is 'local', 'pasted' or a server id; no
// foreign key, so the history outlives a server that is later removed from the fleet.
export const sql = `
CREATE TABLE tool_runs (
  id          TEXT PRIMARY KEY,
  tool        TEXT NOT NULL CHECK (tool IN ('ping', 'mtr')),
  source      TEXT NOT NULL CHECK (length(source) > 0),
  target      TEXT NOT NULL,
  params      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  raw_output  TEXT NOT NULL DEFAULT '',
  result      TEXT CHECK (result IS NULL OR json_valid(result)),
  error       TEXT
);
CREATE INDEX tool_runs_started ON tool_runs(started_at DESC);
CREATE INDEX tool_runs_target ON tool_runs(target, started_at DESC);
`;
