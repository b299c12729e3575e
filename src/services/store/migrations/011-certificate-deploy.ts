// Certificates on the servers: the last install per server (the tls.cfg written, never a key), the
// last TLS handshake check per server and SNI domain, ACME's settings (the account key lives in the
// secret store under `acme-account-key`) and each server's ACME certificate with its renewal.
export const sql = `
CREATE TABLE certificate_installs (
  server_id    TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  state        TEXT NOT NULL CHECK (state IN ('running', 'installed', 'refused', 'failed')),
  step         TEXT NOT NULL,
  message      TEXT NOT NULL,
  notes        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(notes)),
  tls_config   TEXT,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER
);

-- domain '' is the handshake without an SNI name (what unmatched names get).
CREATE TABLE certificate_checks (
  server_id             TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  domain                TEXT NOT NULL,
  certificate_id        TEXT,
  expected_name         TEXT NOT NULL,
  expected_fingerprint  TEXT NOT NULL,
  served_fingerprint    TEXT,
  served_subject        TEXT,
  outcome               TEXT NOT NULL CHECK (outcome IN ('ok', 'wrong-certificate', 'expired', 'missing-intermediate', 'unreachable')),
  message               TEXT NOT NULL,
  checked_at            INTEGER NOT NULL,
  PRIMARY KEY (server_id, domain)
);

CREATE TABLE acme_settings (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  directory_url  TEXT NOT NULL,
  email          TEXT,
  ca_pem         TEXT,
  dns_hook       TEXT,
  account_url    TEXT
);
INSERT INTO acme_settings (id, directory_url) VALUES (1, 'https://acme-v02.api.letsencrypt.org/directory');

CREATE TABLE acme_certificates (
  server_id       TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  domain          TEXT NOT NULL,
  challenge       TEXT NOT NULL CHECK (challenge IN ('http-01', 'dns-01')),
  state           TEXT NOT NULL CHECK (state IN ('requesting', 'issued', 'failed')),
  message         TEXT NOT NULL,
  certificate_id  TEXT REFERENCES certificates(id) ON DELETE SET NULL,
  requested_at    INTEGER NOT NULL,
  finished_at     INTEGER
);
`;
