// Certificates and their assignment to servers; the APIBAN banned list, where its sync resumes,
// and what was applied to each server. A certificate's private key is never here: it lives in the
// secret store under `certificate-key:<id>`, and `has_key` only records that one was imported.
export const sql = `
CREATE TABLE certificates (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  issuer          TEXT NOT NULL,
  serial_number   TEXT NOT NULL,
  sans            TEXT NOT NULL CHECK (json_valid(sans)),
  not_before      INTEGER NOT NULL,
  not_after       INTEGER NOT NULL,
  fingerprint256  TEXT NOT NULL UNIQUE,
  chain_pem       TEXT NOT NULL,
  chain_length    INTEGER NOT NULL CHECK (chain_length >= 1),
  has_key         INTEGER NOT NULL CHECK (has_key IN (0, 1)),
  imported_at     INTEGER NOT NULL
);
CREATE INDEX certificates_not_after ON certificates(not_after);

CREATE TABLE server_certificates (
  server_id       TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  certificate_id  TEXT NOT NULL REFERENCES certificates(id) ON DELETE RESTRICT,
  type            TEXT NOT NULL CHECK (type IN ('server', 'client')),
  domains         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(domains)),
  assigned_at     INTEGER NOT NULL,
  PRIMARY KEY (server_id, certificate_id, type)
);
CREATE INDEX server_certificates_cert ON server_certificates(certificate_id);

CREATE TABLE apiban_addresses (
  ip          TEXT PRIMARY KEY,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL
);
CREATE INDEX apiban_addresses_last_seen ON apiban_addresses(last_seen);

-- One row: the API base URL, the ID the next page is fetched from (so a rate limit or a restart
-- resumes there and never refetches from the start), and how the last sync ended.
CREATE TABLE apiban_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  base_url        TEXT NOT NULL,
  next_id         TEXT NOT NULL,
  last_sync_at    INTEGER,
  last_outcome    TEXT,
  last_message    TEXT
);
INSERT INTO apiban_state (id, base_url, next_id) VALUES (1, 'https://apiban.org', '100');

CREATE TABLE apiban_applied (
  server_id   TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  method      TEXT NOT NULL,
  entries     INTEGER,
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  message     TEXT NOT NULL DEFAULT '',
  applied_at  INTEGER NOT NULL
);
`;
