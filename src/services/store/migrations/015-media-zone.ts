// Media server selection: each SIP server's media zone (null: automatic, the platform picks), how
// Switchyard reaches RTP servers over SSH to measure from them (one row; empty fields fall back to
// ~/.ssh/config, as `ssh` does), and the Media path measurements, kept so the advisor can compare
// a server's chosen zone with the best one measured.
//
// The media zone is a column of servers, not a field of the server draft: it is set on its own
// (the Media path tool's one click, Server Config's select) and a zone deleted sends its servers
// back to automatic rather than refusing the delete.
export const sql = `
ALTER TABLE servers ADD COLUMN media_zone TEXT REFERENCES zones(id) ON DELETE SET NULL;

CREATE TABLE media_ssh (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  port       INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
  user       TEXT,
  auth       TEXT NOT NULL DEFAULT 'agent' CHECK (auth IN ('agent', 'key')),
  key_path   TEXT,
  jump_host  TEXT
);
INSERT INTO media_ssh (id) VALUES (1);

CREATE TABLE media_measurements (
  id           TEXT PRIMARY KEY,
  server_id    TEXT REFERENCES servers(id) ON DELETE CASCADE,
  customer     TEXT NOT NULL,
  carrier      TEXT NOT NULL,
  measured_at  INTEGER NOT NULL,
  result       TEXT NOT NULL CHECK (json_valid(result))
);
CREATE INDEX media_measurements_at ON media_measurements(measured_at);
CREATE INDEX media_measurements_server ON media_measurements(server_id, measured_at);
`;
