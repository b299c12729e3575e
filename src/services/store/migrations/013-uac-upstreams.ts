// UAC Auth's upstream registrations, keyed by server (a deleted server takes its rows with it):
//
// - uac_upstreams: the providers a server registers to, in the operator's order: registrar (a SIP
//   URI or host[:port]), username and expiry. The password is not here: the secret store holds it
//   under `uac-password:<upstream id>`, so snapshots and exports never carry it.
// - uac_status: the last read of the server's registrations (`kamcmd uac.reg_dump`), as the
//   states Switchyard derived (never the dump itself: kamcmd prints the passwords), and the last
//   failed read. The advisor and the CLI read it here.
// - uac_pushes: how many upstreams Install last pushed to the server, and when. A server Switchyard
//   never pushed to, with no upstream, is left alone (its Kamailio may not load uac at all); one it
//   pushed to is sent the empty list when the last upstream is removed, so it stops registering.
export const sql = `
CREATE TABLE uac_upstreams (
  id          TEXT PRIMARY KEY,
  server_id   TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  registrar   TEXT NOT NULL CHECK (length(registrar) BETWEEN 1 AND 300),
  username    TEXT NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  expiry      INTEGER NOT NULL CHECK (expiry BETWEEN 60 AND 86400),
  updated_at  INTEGER NOT NULL,
  UNIQUE (server_id, position)
);

CREATE TABLE uac_status (
  server_id  TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  read_at    INTEGER,
  command    TEXT NOT NULL,
  states     TEXT NOT NULL CHECK (json_valid(states)),
  error      TEXT,
  error_at   INTEGER
);

CREATE TABLE uac_pushes (
  server_id  TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  pushed_at  INTEGER NOT NULL,
  count      INTEGER NOT NULL CHECK (count >= 0)
);
`;
