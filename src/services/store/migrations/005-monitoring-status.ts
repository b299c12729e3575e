// Live monitoring's additions: the status-change log the Events list and notifications read, and
// a per-server TLS pin (SHA-256 fingerprint of a self-signed certificate the user accepted for
// SIP over TLS; null means normal certificate verification).
//
// status_events has no foreign key to servers on purpose: the log outlives a deleted server, so
// "down at 03:12, then deleted" stays readable; the alias is copied in for the same reason.
export const sql = `
ALTER TABLE servers ADD COLUMN tls_pin TEXT;

CREATE TABLE status_events (
  id          INTEGER PRIMARY KEY,
  server_id   TEXT    NOT NULL,
  alias       TEXT    NOT NULL,
  ip          TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  from_status TEXT    NOT NULL,
  to_status   TEXT    NOT NULL,
  reason      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX status_events_at ON status_events(at);
CREATE INDEX status_events_server ON status_events(server_id, at);
`;
