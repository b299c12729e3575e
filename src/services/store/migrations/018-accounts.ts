// The accounts of a team host: who may sign in and with which role (viewer < operator < admin).
// The password is never stored, only its scrypt hash with the salt and the KDF parameters it was
// made with, per row: raising the cost later leaves old rows verifiable, and each is re-hashed at
// its next reset. Names are unique whatever their case ("Ana" and "ana" are one account).
// `changed_at` moves on every role change, password reset, disable and enable: a session issued
// before it is void. Snapshots never carry these rows (snapshot-file.ts empties the table).
export const sql = `
CREATE TABLE accounts (
  name           TEXT    PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
  role           TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash  BLOB    NOT NULL,
  salt           BLOB    NOT NULL,
  kdf            TEXT    NOT NULL CHECK (kdf = 'scrypt'),
  kdf_n          INTEGER NOT NULL CHECK (kdf_n >= 2),
  kdf_r          INTEGER NOT NULL CHECK (kdf_r >= 1),
  kdf_p          INTEGER NOT NULL CHECK (kdf_p >= 1),
  created_at     INTEGER NOT NULL,
  changed_at     INTEGER NOT NULL
);
`;
