import type { Role } from '../../contract/roles';
import type { Db } from './database';

// The accounts table (migration 018) for the accounts service: rows in, rows out, no rules. The
// rules (names, the last active admin, hashing) are the service's; a snapshot's copy is emptied by
// `emptyAccounts` before it is sealed, so password hashes never leave the data folder.

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export interface AccountRow {
  name: string;
  role: Role;
  disabled: boolean;
  hash: Buffer;
  salt: Buffer;
  kdf: KdfParams;
  createdAt: number;
  changedAt: number;
}

interface RawRow {
  name: string;
  role: Role;
  disabled: number;
  password_hash: Buffer;
  salt: Buffer;
  kdf_n: number;
  kdf_r: number;
  kdf_p: number;
  created_at: number;
  changed_at: number;
}

function toRow(raw: RawRow): AccountRow {
  return {
    name: raw.name,
    role: raw.role,
    disabled: raw.disabled === 1,
    hash: raw.password_hash,
    salt: raw.salt,
    kdf: { N: raw.kdf_n, r: raw.kdf_r, p: raw.kdf_p },
    createdAt: raw.created_at,
    changedAt: raw.changed_at,
  };
}

export function createAccountsRepo(db: Db) {
  const all = db.prepare('SELECT * FROM accounts ORDER BY name COLLATE NOCASE');
  const one = db.prepare('SELECT * FROM accounts WHERE name = ?');
  const insert = db.prepare(
    `INSERT INTO accounts (name, role, disabled, password_hash, salt, kdf, kdf_n, kdf_r, kdf_p, created_at, changed_at)
     VALUES (@name, @role, 0, @hash, @salt, 'scrypt', @n, @r, @p, @at, @at)`,
  );
  const setRole = db.prepare('UPDATE accounts SET role = ?, changed_at = ? WHERE name = ?');
  const setDisabled = db.prepare('UPDATE accounts SET disabled = ?, changed_at = ? WHERE name = ?');
  const setPassword = db.prepare(
    'UPDATE accounts SET password_hash = @hash, salt = @salt, kdf_n = @n, kdf_r = @r, kdf_p = @p, changed_at = @at WHERE name = @name',
  );
  const activeCount = db.prepare('SELECT count(*) AS n FROM accounts WHERE disabled = 0');
  const activeAdmins = db.prepare("SELECT count(*) AS n FROM accounts WHERE disabled = 0 AND role = 'admin'");
  return {
    list(): AccountRow[] {
      return (all.all() as RawRow[]).map(toRow);
    },
    /** Whatever the case the name is typed in. */
    get(name: string): AccountRow | null {
      const raw = one.get(name) as RawRow | undefined;
      return raw === undefined ? null : toRow(raw);
    },
    insert(row: { name: string; role: Role; hash: Buffer; salt: Buffer; kdf: KdfParams; at: number }): void {
      insert.run({ name: row.name, role: row.role, hash: row.hash, salt: row.salt, n: row.kdf.N, r: row.kdf.r, p: row.kdf.p, at: row.at });
    },
    setRole(name: string, role: Role, at: number): void {
      setRole.run(role, at, name);
    },
    setDisabled(name: string, disabled: boolean, at: number): void {
      setDisabled.run(disabled ? 1 : 0, at, name);
    },
    setPassword(name: string, secret: { hash: Buffer; salt: Buffer; kdf: KdfParams }, at: number): void {
      setPassword.run({ name, hash: secret.hash, salt: secret.salt, n: secret.kdf.N, r: secret.kdf.r, p: secret.kdf.p, at });
    },
    activeCount(): number {
      return (activeCount.get() as { n: number }).n;
    },
    activeAdminCount(): number {
      return (activeAdmins.get() as { n: number }).n;
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;

/**
 * Empties the accounts of a copy about to become a snapshot. `secure_delete` overwrites the freed
 * pages with zeros, so the hashes are not left behind in the file's free space either.
 */
export function emptyAccounts(db: Db): void {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").get() !== undefined;
  if (!has) return;
  db.pragma('secure_delete = ON');
  db.exec('DELETE FROM accounts');
}
