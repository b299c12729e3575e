// APIBAN on its own: the schedule (one row), the servers it applies to by itself, and the
// operator's allow-list of addresses and blocks that are never banned. `list_changed_at` is when
// the stored list last gained or lost an address, so a server applied before it is behind;
// `last_drops` counts what the last sync refused to store (not an address, not global, the
// fleet's own, allow-listed), with a few of the malformed entries quoted.
export const sql = `
CREATE TABLE apiban_schedule (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  interval_sec     INTEGER NOT NULL DEFAULT 3600 CHECK (interval_sec BETWEEN 60 AND 604800),
  http_host        TEXT,
  list_changed_at  INTEGER,
  last_drops       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(last_drops))
);
INSERT INTO apiban_schedule (id) VALUES (1);

CREATE TABLE apiban_targets (
  server_id  TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  method     TEXT NOT NULL CHECK (method IN ('ipset', 'nftables')),
  added_at   INTEGER NOT NULL
);

CREATE TABLE apiban_allow (
  entry     TEXT PRIMARY KEY,
  note      TEXT NOT NULL DEFAULT '',
  added_at  INTEGER NOT NULL
);
`;
