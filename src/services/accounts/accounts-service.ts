import type { Role } from '../../contract/roles';
import { conflict, DomainError, refuseIssues, type FieldIssue } from '../../domain/errors';
import type { AuditLog } from '../audit/audit-types';
import type { AccountRow, AccountsRepo, KdfParams } from '../store/accounts-repo';
import { checkName, checkPassword, checkRole } from './account-rules';
import type { AccountsDirectory, AccountView, Verdict } from './accounts-types';
import { DEFAULT_KDF, dummyHash, hashPassword, passwordMatches } from './password-hash';

// The accounts of a team host: sign-in checks (AccountsDirectory, for the web host), and what an
// admin does to them (add, role, disable, enable, reset), each recorded in the audit log with who
// did it. One rule guards the host from locking itself out: the last active admin can be neither
// disabled nor demoted, since only an admin can manage accounts from the console.

export interface AccountsServiceDeps {
  repo: AccountsRepo;
  /** Runs `work` atomically (the store's transaction): a check and the write it guards together. */
  transaction<T>(work: () => T): T;
  audit: AuditLog;
  /** Who is making the change, as the audit log records it. */
  who: () => { account: string; address?: string | undefined };
  clock?: () => number;
  /** The KDF for new hashes; tests pass cheaper parameters, the host the stated defaults. */
  kdf?: KdfParams;
}

export interface AddAccount {
  name: string;
  role: Role;
  password: string;
}

export class AccountsService implements AccountsDirectory {
  private readonly clock: () => number;
  private readonly kdf: KdfParams;

  constructor(private readonly deps: AccountsServiceDeps) {
    this.clock = deps.clock ?? Date.now;
    this.kdf = deps.kdf ?? DEFAULT_KDF;
  }

  activeCount(): number {
    return this.deps.repo.activeCount();
  }

  find(name: string): AccountView | undefined {
    const row = this.deps.repo.get(name);
    return row === null ? undefined : view(row);
  }

  list(): AccountView[] {
    return this.deps.repo.list().map(view);
  }

  async verify(name: string, password: string): Promise<Verdict> {
    const row = name.length > 0 && name.length <= 200 ? this.deps.repo.get(name) : null;
    // The same scrypt work either way: an unknown name is checked against a hash nobody can match.
    const stored = row ?? (await dummyHash(this.kdf));
    const matches = await passwordMatches(password.slice(0, 4096), stored);
    if (row === null) return { ok: false, reason: 'unknown-account' };
    if (!matches) return { ok: false, reason: 'wrong-password' };
    // Said only to whoever knows the password: a guesser cannot tell disabled accounts from others.
    if (row.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, account: view(row) };
  }

  async add(input: AddAccount): Promise<AccountView> {
    // Every field at once, so a form marks all of them: the name, the role and the password.
    const issues: FieldIssue[] = [];
    const attempt = (check: () => unknown) => {
      try {
        check();
      } catch (error) {
        if (!(error instanceof DomainError) || error.field === undefined) throw error;
        issues.push({ field: error.field, message: error.message, ...(error.code === 'conflict' ? { conflict: true } : {}) });
      }
    };
    attempt(() => checkName(input.name));
    attempt(() => checkRole(input.role));
    attempt(() => checkPassword(input.password, input.name));
    if (!issues.some((i) => i.field === 'name')) attempt(() => this.refuseTaken(input.name));
    refuseIssues(issues);
    const { name, role } = input;
    const secret = await hashPassword(input.password, this.kdf);
    const at = this.clock();
    this.deps.transaction(() => {
      // Checked again: another add of the same name may have finished while this one hashed.
      this.refuseTaken(name);
      this.deps.repo.insert({ name, role, ...secret, at });
    });
    this.record('account-add', `Account ${name} added as ${role}`);
    return this.mustFind(name);
  }

  setRole(name: string, role: Role): AccountView {
    checkRole(role);
    const before = this.deps.transaction(() => {
      const row = this.mustGet(name);
      if (row.role === role) return null;
      if (row.role === 'admin' && !row.disabled && this.deps.repo.activeAdminCount() <= 1) {
        throw new DomainError('conflict', `${row.name} is the last active admin: make another account admin first.`, { field: 'role' });
      }
      this.deps.repo.setRole(row.name, role, this.clock());
      return row;
    });
    if (before !== null) this.record('role-change', `Role of ${before.name}: ${before.role} → ${role}`);
    return this.mustFind(name);
  }

  disable(name: string): AccountView {
    const changed = this.deps.transaction(() => {
      const row = this.mustGet(name);
      if (row.disabled) return null;
      if (row.role === 'admin' && this.deps.repo.activeAdminCount() <= 1) {
        throw new DomainError('conflict', `${row.name} is the last active admin: it cannot be disabled.`, { field: 'name' });
      }
      this.deps.repo.setDisabled(row.name, true, this.clock());
      return row;
    });
    if (changed !== null) this.record('account-disable', `Account ${changed.name} (${changed.role}) disabled`);
    return this.mustFind(name);
  }

  enable(name: string): AccountView {
    const changed = this.deps.transaction(() => {
      const row = this.mustGet(name);
      if (!row.disabled) return null;
      this.deps.repo.setDisabled(row.name, false, this.clock());
      return row;
    });
    if (changed !== null) this.record('account-enable', `Account ${changed.name} (${changed.role}) enabled`);
    return this.mustFind(name);
  }

  async resetPassword(name: string, password: string): Promise<AccountView> {
    const row = this.mustGet(name);
    checkPassword(password, row.name);
    const secret = await hashPassword(password, this.kdf);
    this.deps.transaction(() => {
      this.mustGet(name);
      this.deps.repo.setPassword(row.name, secret, this.clock());
    });
    this.record('password-reset', `Password of ${row.name} reset`);
    return this.mustFind(name);
  }

  private refuseTaken(name: string): void {
    const taken = this.deps.repo.get(name);
    if (taken !== null) throw conflict('name', `An account named ${taken.name} already exists.`);
  }

  private mustGet(name: string): AccountRow {
    const row = this.deps.repo.get(name);
    if (row === null) throw new DomainError('not-found', `There is no account named ${name}.`, { field: 'name' });
    return row;
  }

  private mustFind(name: string): AccountView {
    return view(this.mustGet(name));
  }

  private record(kind: string, detail: string): void {
    const who = this.deps.who();
    this.deps.audit.record({ kind, account: who.account, ...(who.address === undefined ? {} : { address: who.address }), detail });
  }
}

function view(row: AccountRow): AccountView {
  return { name: row.name, role: row.role, disabled: row.disabled, createdAt: row.createdAt, changedAt: row.changedAt };
}
