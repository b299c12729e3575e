import type { Role } from '../../contract/roles';

// The accounts of a team host as the web host's sign-in sees them. The store, the password hashing
// and the CLI/`accounts:*` methods implement it (accounts-service.ts); the sign-in and session code
// (src/host/web/team-*.ts) depends only on this shape.

export interface AccountView {
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  /** Changes on every password reset and role change: sessions issued before it are void. */
  changedAt: number;
}

export type Verdict = { ok: true; account: AccountView } | { ok: false; reason: 'unknown-account' | 'wrong-password' | 'disabled' };

export interface AccountsDirectory {
  /** Accounts that are not disabled: team mode refuses to start with none. */
  activeCount(): number;
  /** Constant work whether the account exists or not, so timing does not reveal names. */
  verify(name: string, password: string): Promise<Verdict>;
  find(name: string): AccountView | undefined;
}
