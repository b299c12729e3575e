// Alerts that work with no window open: rules per fleet, zone, cluster and server; the alerts
// they raise and their life (firing, acknowledged, resolved); the changes waiting to be grouped
// into deliveries; channels, routes and the delivery log with every attempt; silences and the
// maintenance the console's own actions set.
//
// Scopes use one nullable foreign key per level, so a rule, route or silence disappears with the
// zone, cluster or server it names. The unique indexes say "one rule per kind and scope" and
// "one open alert per kind and subject" (resolved alerts are history and may repeat).
//
// alerts has no foreign key to servers, like status_events: "down at 03:12, then deleted" stays
// readable, so the alias, address, zone and cluster names are copied in.
//
// Secrets (webhook URLs, routing keys, SMTP passwords) are not here: the secret store holds them
// under `alert-channel:<id>:<name>`; `target` keeps only a webhook's scheme and host for display.
//
// A fresh database gets the one channel that needs no setting up, the desktop notification, and
// a route sending every alert there: a user who configures nothing is still told.
const scopeColumns = `
  zone_id     TEXT REFERENCES zones(id) ON DELETE CASCADE,
  cluster_id  TEXT REFERENCES clusters(id) ON DELETE CASCADE,
  server_id   TEXT REFERENCES servers(id) ON DELETE CASCADE,`;

const scopeCheck = (levels: string) => `
  CHECK (scope_level IN (${levels})),
  CHECK ((zone_id IS NOT NULL) + (cluster_id IS NOT NULL) + (server_id IS NOT NULL) = (scope_level <> 'fleet')),
  CHECK (scope_level <> 'zone' OR zone_id IS NOT NULL),
  CHECK (scope_level <> 'cluster' OR cluster_id IS NOT NULL),
  CHECK (scope_level <> 'server' OR server_id IS NOT NULL)`;

export const sql = `
CREATE TABLE alert_rules (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  scope_level TEXT    NOT NULL,${scopeColumns}
  params      TEXT    NOT NULL CHECK (json_valid(params)),
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT    NOT NULL,${scopeCheck("'fleet', 'zone', 'cluster', 'server'")}
);
CREATE UNIQUE INDEX alert_rules_scope ON alert_rules(kind, scope_level, coalesce(zone_id, cluster_id, server_id, ''));

CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL,
  subject_type    TEXT    NOT NULL CHECK (subject_type IN ('server', 'fleet', 'channel')),
  subject_id      TEXT,
  subject_label   TEXT    NOT NULL,
  server_id       TEXT,
  ip              TEXT,
  zone_id         TEXT,
  zone_name       TEXT,
  cluster_id      TEXT,
  cluster_name    TEXT,
  severity        TEXT    NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  state           TEXT    NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved')),
  flapping        INTEGER NOT NULL DEFAULT 0 CHECK (flapping IN (0, 1)),
  summary         TEXT    NOT NULL,
  value           REAL,
  threshold       REAL,
  rule_source     TEXT    NOT NULL,
  started_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  ack_note        TEXT,
  resolved_at     INTEGER,
  resolve_note    TEXT,
  notified_at     INTEGER,
  last_notified_at INTEGER,
  notifications   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alerts_open ON alerts(kind, subject_type, coalesce(subject_id, '')) WHERE state <> 'resolved';
CREATE INDEX alerts_started ON alerts(started_at);
CREATE INDEX alerts_server ON alerts(server_id, started_at);
CREATE INDEX alerts_subject ON alerts(kind, subject_type, subject_id, started_at);

CREATE TABLE alert_notices (
  id         INTEGER PRIMARY KEY,
  alert_id   INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  what       TEXT    NOT NULL CHECK (what IN ('firing', 'resolved', 'reminder', 'flapping', 'acknowledged')),
  at         INTEGER NOT NULL,
  item       TEXT    NOT NULL CHECK (json_valid(item)),
  batched_at INTEGER
);
CREATE INDEX alert_notices_waiting ON alert_notices(id) WHERE batched_at IS NULL;
CREATE INDEX alert_notices_alert ON alert_notices(alert_id);

CREATE TABLE alert_channels (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  kind        TEXT    NOT NULL CHECK (kind IN ('desktop', 'webhook', 'email')),
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  config      TEXT    NOT NULL CHECK (json_valid(config)),
  target      TEXT,
  created_at  INTEGER NOT NULL,
  failing     INTEGER NOT NULL DEFAULT 0 CHECK (failing IN (0, 1)),
  failures    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE alert_routes (
  id              INTEGER PRIMARY KEY,
  channel_id      INTEGER NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  severities      TEXT    NOT NULL CHECK (json_valid(severities)),
  kinds           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(kinds)),
  scope_level     TEXT    NOT NULL,${scopeColumns}
  notify_resolved INTEGER NOT NULL DEFAULT 1 CHECK (notify_resolved IN (0, 1)),${scopeCheck("'fleet', 'zone', 'cluster'")}
);
CREATE INDEX alert_routes_channel ON alert_routes(channel_id);

CREATE TABLE alert_deliveries (
  id              INTEGER PRIMARY KEY,
  channel_id      INTEGER REFERENCES alert_channels(id) ON DELETE SET NULL,
  channel_name    TEXT    NOT NULL,
  route_id        INTEGER,
  test            INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
  batch           TEXT    NOT NULL CHECK (json_valid(batch)),
  alert_ids       TEXT    NOT NULL CHECK (json_valid(alert_ids)),
  summary         TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX alert_deliveries_channel ON alert_deliveries(channel_id, id);
CREATE INDEX alert_deliveries_created ON alert_deliveries(created_at);

CREATE TABLE alert_delivery_attempts (
  delivery_id INTEGER NOT NULL REFERENCES alert_deliveries(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  status      INTEGER,
  error       TEXT,
  ms          REAL    NOT NULL
);
CREATE INDEX alert_delivery_attempts_delivery ON alert_delivery_attempts(delivery_id);

CREATE TABLE alert_episodes (
  route_id  INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  dedup_key TEXT    NOT NULL,
  opened_at INTEGER NOT NULL,
  PRIMARY KEY (route_id, kind)
);

CREATE TABLE alert_conditions (
  kind    TEXT    NOT NULL,
  subject TEXT    NOT NULL,
  since   INTEGER NOT NULL,
  streak  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, subject)
);

CREATE TABLE silences (
  id          INTEGER PRIMARY KEY,
  scope_level TEXT    NOT NULL,${scopeColumns}
  scope_label TEXT    NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  ended_at    INTEGER,
  ended_by    TEXT,
  reason      TEXT    NOT NULL,
  created_by  TEXT    NOT NULL,
  CHECK (ends_at > starts_at),${scopeCheck("'fleet', 'zone', 'cluster', 'server'")}
);
CREATE INDEX silences_ends ON silences(ends_at);

CREATE TABLE maintenance (
  id         INTEGER PRIMARY KEY,
  server_id  TEXT    NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  alias      TEXT    NOT NULL,
  run_id     TEXT,
  reason     TEXT    NOT NULL,
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER,
  grace_ms   INTEGER NOT NULL CHECK (grace_ms >= 0),
  created_by TEXT    NOT NULL
);
CREATE INDEX maintenance_server ON maintenance(server_id, starts_at);
CREATE INDEX maintenance_open ON maintenance(ends_at);

INSERT INTO alert_channels (id, name, kind, enabled, config, target, created_at) VALUES (1, 'Desktop', 'desktop', 1, '{"kind":"desktop"}', NULL, 0);
INSERT INTO alert_routes (channel_id, enabled, severities, kinds, scope_level, notify_resolved) VALUES (1, 1, '["critical","warning","info"]', '[]', 'fleet', 1);
`;
