// Accounts for the team web host's tests. Stand-in for the store-backed AccountsService (which
// has its own tests against SQLite): the web layer depends only on the AccountsDirectory shape,
// and these tests need to flip an account's state (disable, role change) between two requests.
import { scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../src/contract/roles';
import type { AccountsDirectory, AccountView, Verdict } from '../../src/services/accounts/accounts-types';
import type { AuditEntryInput, AuditLog } from '../../src/services/audit/audit-types';

const SALT = Buffer.from('switchyard-test-salt');
/** Cheap parameters: the tests exercise the web layer, not the KDF's cost. */
const hash = (password: string) => scryptSync(password, SALT, 32, { N: 1024, r: 8, p: 1 });

export interface TestAccounts extends AccountsDirectory {
  add(name: string, role: Role, password: string): void;
  disable(name: string): void;
  setRole(name: string, role: Role): void;
}

export function createTestAccounts(now: () => number = Date.now): TestAccounts {
  const table = new Map<string, AccountView & { hash: Buffer }>();
  const view = ({ hash: _hash, ...rest }: AccountView & { hash: Buffer }): AccountView => rest;
  return {
    add(name, role, password) {
      table.set(name, { name, role, disabled: false, createdAt: now(), changedAt: now(), hash: hash(password) });
    },
    disable(name) {
      const row = table.get(name);
      if (row) row.disabled = true;
    },
    setRole(name, role) {
      const row = table.get(name);
      if (row) Object.assign(row, { role, changedAt: row.changedAt + 1 });
    },
    activeCount: () => [...table.values()].filter((row) => !row.disabled).length,
    find: (name) => {
      const row = table.get(name);
      return row === undefined ? undefined : view(row);
    },
    async verify(name, password): Promise<Verdict> {
      const row = table.get(name);
      const given = hash(password);
      if (row === undefined) return { ok: false, reason: 'unknown-account' };
      if (!timingSafeEqual(given, row.hash)) return { ok: false, reason: 'wrong-password' };
      if (row.disabled) return { ok: false, reason: 'disabled' };
      return { ok: true, account: view(row) };
    },
  };
}

export interface RecordedAudit extends AuditLog {
  entries: AuditEntryInput[];
}

export function recordingAudit(): RecordedAudit {
  const entries: AuditEntryInput[] = [];
  return { entries, record: (entry) => void entries.push(entry) };
}
