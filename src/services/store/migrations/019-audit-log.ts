// Who did what: the audit log, one line per sign-in, failed sign-in, sign-out, account change,
// action run, silence, acknowledgement, setting change, import and every other change made
// through the console. No foreign keys: a line outlives the account, server or rule it names.
// `account` is the signed-in account ('local user' on a single-seat host); `address` the client's
// address when the call came over the network. Kept for a bounded time (audit-repo.ts says how long).
//
// action_runs gains the same two facts: who started the run (the account, beside `requested_by`,
// which stays the OS user of the console) and from where. Runs logged before this migration were
// started at the console itself, so they read 'local user'.
export const sql = `
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  kind     TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
  account  TEXT    NOT NULL CHECK (length(account) BETWEEN 1 AND 200),
  address  TEXT    CHECK (address IS NULL OR length(address) <= 100),
  detail   TEXT    NOT NULL CHECK (length(detail) <= 2000)
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_account ON audit_log(account, at);

ALTER TABLE action_runs ADD COLUMN account TEXT NOT NULL DEFAULT 'local user';
ALTER TABLE action_runs ADD COLUMN address TEXT;
`;
