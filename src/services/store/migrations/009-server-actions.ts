// What server actions need besides the recipe book, in tables of their own keyed by server (so a
// deleted server takes its rows with it):
//
// - action_settings: fleet-wide action settings as JSON under a key (`installCommand`). Kept apart
//   from `settings`, whose schema the settings service owns and re-checks as a whole.
// - server_install_commands: a server's own install command, over the fleet's.
// - server_power: how this workstation reaches a server's power controller: IPMI over LAN (BMC
//   address, port, user, cipher suite) or the operator's own command per power operation. The IPMI
//   password is not here: the secret store holds it under `power-password:<server id>`.
// - server_resizes: the last successful Resize Capacity of a server. The reference: "The update
//   will be active in 15 minutes": until `active_at` the limits and the advisor count
//   `previous_channels`, while `servers.channels` already holds the size that was set.
export const sql = `
CREATE TABLE action_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL CHECK (json_valid(value))
);

CREATE TABLE server_install_commands (
  server_id   TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  command     TEXT NOT NULL CHECK (length(command) BETWEEN 1 AND 2048),
  updated_at  INTEGER NOT NULL
);

CREATE TABLE server_power (
  server_id     TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  method        TEXT NOT NULL CHECK (method IN ('ipmi', 'command')),
  host          TEXT,
  port          INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
  user          TEXT,
  cipher_suite  INTEGER CHECK (cipher_suite IS NULL OR cipher_suite IN (3, 17)),
  commands      TEXT CHECK (commands IS NULL OR json_valid(commands)),
  updated_at    INTEGER NOT NULL,
  CHECK (method <> 'ipmi' OR (host IS NOT NULL AND port IS NOT NULL AND user IS NOT NULL AND cipher_suite IS NOT NULL)),
  CHECK (method <> 'command' OR commands IS NOT NULL)
);

CREATE TABLE server_resizes (
  server_id          TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  previous_channels  INTEGER NOT NULL CHECK (previous_channels > 0),
  channels           INTEGER NOT NULL CHECK (channels > 0),
  requested_at       INTEGER NOT NULL,
  active_at          INTEGER NOT NULL
);
`;
