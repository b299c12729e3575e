// The inventory: zones, clusters, servers with every field of the reference's Server List and
// Server Config (one column each, so a later PostgreSQL store can take the same shape), RTP
// servers and settings. SSH settings hold no secrets: passwords and passphrases live in the
// secret store.
export const sql = `
CREATE TABLE zones (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE clusters (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE servers (
  id                   TEXT PRIMARY KEY,
  ip                   TEXT NOT NULL UNIQUE,
  alias                TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type                 TEXT NOT NULL CHECK (type IN ('dispatcher', 'switch')),
  cluster_id           TEXT REFERENCES clusters(id) ON DELETE RESTRICT,
  zone_id              TEXT NOT NULL REFERENCES zones(id) ON DELETE RESTRICT,
  channels             INTEGER NOT NULL CHECK (channels > 0),
  cps                  INTEGER NOT NULL CHECK (cps > 0),
  expires_at           INTEGER,
  admin_state          TEXT NOT NULL CHECK (admin_state IN ('running', 'stopped')),
  install_recommended  INTEGER NOT NULL DEFAULT 0,
  update_pending       INTEGER NOT NULL DEFAULT 0,
  term_ingress         INTEGER NOT NULL,
  term_egress          INTEGER NOT NULL,
  orig_ingress         INTEGER NOT NULL,
  orig_egress          INTEGER NOT NULL,
  uac_auth             INTEGER NOT NULL,
  webrtc_tls           INTEGER NOT NULL,
  fqdn                 TEXT,
  auto_upgrade         INTEGER NOT NULL,
  disable_uac_ping     INTEGER NOT NULL,
  uac_location_sharing INTEGER NOT NULL,
  tls_internals        INTEGER NOT NULL,
  restrict_direct      INTEGER NOT NULL,
  tcp_sip_trace        INTEGER NOT NULL,
  any_reg              INTEGER NOT NULL,
  processing_zone      TEXT,
  udp_port             INTEGER NOT NULL CHECK (udp_port BETWEEN 1 AND 65535),
  tcp_port             INTEGER NOT NULL CHECK (tcp_port BETWEEN 1 AND 65535),
  tls_port             INTEGER NOT NULL CHECK (tls_port BETWEEN 1 AND 65535),
  failover_enabled     INTEGER NOT NULL,
  failover_target_id   TEXT REFERENCES servers(id) ON DELETE SET NULL,
  ssh_host             TEXT,
  ssh_port             INTEGER NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
  ssh_user             TEXT NOT NULL,
  ssh_auth             TEXT NOT NULL CHECK (ssh_auth IN ('agent', 'key', 'password')),
  ssh_key_path         TEXT,
  ssh_jump_host        TEXT,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX servers_cluster ON servers(cluster_id);
CREATE INDEX servers_zone ON servers(zone_id);

CREATE TABLE rtp_servers (
  id         TEXT PRIMARY KEY,
  ip         TEXT NOT NULL UNIQUE,
  alias      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  zone_id    TEXT NOT NULL REFERENCES zones(id) ON DELETE RESTRICT,
  created_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
