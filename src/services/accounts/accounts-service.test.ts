import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test/helpers/temp-dir';
import { DomainError } from '../../domain/errors';
import type { AuditEntryInput } from '../audit/audit-types';
import { copyDatabase, sealSnapshot } from '../store/snapshot-file';
import { openStore, type Store } from '../store/store';
import { AccountsService } from './accounts-service';
import { DEFAULT_KDF } from './password-hash';

// Cheap scrypt parameters keep these fast; the stated defaults are checked once below.
const KDF = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});
const tempDir = useTempDirs();

function setup(file = ':memory:') {
  const store = openStore({ file });
  stores.push(store);
  const audit: AuditEntryInput[] = [];
  let now = 1_000;
  const service = new AccountsService({
    repo: store.accounts,
    transaction: (work) => store.transaction(work),
    audit: { record: (entry) => audit.push(entry) },
    who: () => ({ account: 'root-admin', address: '192.0.2.7' }),
    clock: () => now,
    kdf: KDF,
  });
  return { store, service, audit, tick: (ms: number) => (now += ms) };
}

async function refusal(work: () => unknown): Promise<DomainError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('accounts service', () => {
  it('adds accounts, lists them by name and finds them whatever the case', async () => {
    const { service, audit } = setup();
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    await service.add({ name: 'Bob.Smith@noc', role: 'viewer', password: PASSWORD });
    expect(service.list().map((a) => [a.name, a.role, a.disabled])).toEqual([
      ['ana', 'admin', false],
      ['Bob.Smith@noc', 'viewer', false],
    ]);
    expect(service.find('BOB.smith@NOC')?.name).toBe('Bob.Smith@noc');
    expect(service.activeCount()).toBe(2);
    expect(audit.map((e) => [e.kind, e.account, e.address, e.detail])).toEqual([
      ['account-add', 'root-admin', '192.0.2.7', 'Account ana added as admin'],
      ['account-add', 'root-admin', '192.0.2.7', 'Account Bob.Smith@noc added as viewer'],
    ]);
  });

  it('refuses bad names, roles, short passwords and taken names, naming the field, and stores nothing', async () => {
    const { service, audit } = setup();
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    const cases: [Parameters<AccountsService['add']>[0], string, RegExp][] = [
      [{ name: '', role: 'viewer', password: PASSWORD }, 'name', /empty/],
      [{ name: 'two words', role: 'viewer', password: PASSWORD }, 'name', /"two words" may hold only/],
      [{ name: '--role', role: 'viewer', password: PASSWORD }, 'name', /start with a letter or digit/],
      [{ name: 'x'.repeat(65), role: 'viewer', password: PASSWORD }, 'name', /longer than 64/],
      [{ name: 'eve', role: 'root' as 'admin', password: PASSWORD }, 'role', /"root" is not one of viewer, operator, admin/],
      [{ name: 'eve', role: 'viewer', password: 'short pass' }, 'password', /too short \(10 characters\): use at least 12/],
      [{ name: 'eve', role: 'viewer', password: ' '.repeat(14) }, 'password', /only spaces/],
      [{ name: 'eve-the-operator', role: 'viewer', password: 'EVE-the-operator' }, 'password', /is the account name/],
      [{ name: 'ANA', role: 'viewer', password: PASSWORD }, 'name', /An account named ana already exists/],
    ];
    for (const [input, field, message] of cases) {
      const error = await refusal(() => service.add(input));
      expect(error.field, input.name).toBe(field);
      expect(error.message).toMatch(message);
    }
    // Every field refused at once, so a form marks them all.
    const several = await refusal(() => service.add({ name: 'two words', role: 'viewer', password: 'short' }));
    expect(several.issues?.map((i) => i.field)).toEqual(['name', 'password']);
    expect(service.list().map((a) => a.name)).toEqual(['ana']);
    expect(audit).toHaveLength(1);
  });

  it('verifies passwords: right, wrong, unknown name, disabled only told to whoever knows the password', async () => {
    const { service } = setup();
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    await service.add({ name: 'op', role: 'operator', password: 'operator password 1' });
    expect(await service.verify('ANA', PASSWORD)).toMatchObject({ ok: true, account: { name: 'ana', role: 'admin' } });
    expect(await service.verify('ana', `${PASSWORD}!`)).toEqual({ ok: false, reason: 'wrong-password' });
    expect(await service.verify('nobody', PASSWORD)).toEqual({ ok: false, reason: 'unknown-account' });
    expect(await service.verify('', PASSWORD)).toEqual({ ok: false, reason: 'unknown-account' });
    service.disable('op');
    expect(await service.verify('op', 'operator password 1')).toEqual({ ok: false, reason: 'disabled' });
    expect(await service.verify('op', 'a wrong password')).toEqual({ ok: false, reason: 'wrong-password' });
    service.enable('op');
    expect((await service.verify('op', 'operator password 1')).ok).toBe(true);
  });

  it('keeps the last active admin: it can be neither disabled nor demoted until another admin exists', async () => {
    const { service, audit } = setup();
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    await service.add({ name: 'bo', role: 'operator', password: PASSWORD });
    const demote = await refusal(() => service.setRole('ana', 'operator'));
    expect(demote).toMatchObject({ code: 'conflict', field: 'role' });
    expect(demote.message).toBe('ana is the last active admin: make another account admin first.');
    expect((await refusal(() => service.disable('ana'))).message).toBe('ana is the last active admin: it cannot be disabled.');
    expect(service.find('ana')).toMatchObject({ role: 'admin', disabled: false });

    service.setRole('bo', 'admin');
    service.disable('ana');
    // Now bo is the last active one; a disabled admin does not count.
    expect((await refusal(() => service.setRole('bo', 'viewer'))).code).toBe('conflict');
    service.setRole('ana', 'viewer');
    expect(audit.map((e) => e.detail)).toEqual([
      'Account ana added as admin',
      'Account bo added as operator',
      'Role of bo: operator → admin',
      'Account ana (admin) disabled',
      'Role of ana: admin → viewer',
    ]);
  });

  it('moves changedAt on role change, reset, disable and enable, and a reset voids the old password', async () => {
    const { service, tick, audit } = setup();
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    await service.add({ name: 'bo', role: 'viewer', password: PASSWORD });
    const created = service.find('bo');
    expect(created).toMatchObject({ createdAt: 1000, changedAt: 1000 });
    tick(5);
    expect(service.setRole('bo', 'operator').changedAt).toBe(1005);
    tick(5);
    expect((await service.resetPassword('BO', 'a brand new password')).changedAt).toBe(1010);
    expect((await service.verify('bo', PASSWORD)).ok).toBe(false);
    expect((await service.verify('bo', 'a brand new password')).ok).toBe(true);
    tick(5);
    expect(service.disable('bo').changedAt).toBe(1015);
    expect(service.find('bo')?.createdAt).toBe(1000);
    expect(audit.at(-2)).toMatchObject({ kind: 'password-reset', detail: 'Password of bo reset' });
    expect(audit.at(-1)).toMatchObject({ kind: 'account-disable' });
  });

  it('refuses changes to an account that does not exist, naming it', async () => {
    const { service } = setup();
    for (const work of [
      () => service.disable('ghost'),
      () => service.setRole('ghost', 'admin'),
      () => service.resetPassword('ghost', PASSWORD),
    ]) {
      expect(await refusal(work)).toMatchObject({ code: 'not-found', field: 'name', message: 'There is no account named ghost.' });
    }
    const shortReset = await refusal(async () => {
      await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
      await service.resetPassword('ana', 'too short');
    });
    expect(shortReset.field).toBe('password');
    expect((await service.verify('ana', PASSWORD)).ok).toBe(true);
  });

  it('stores the KDF parameters with each hash, so a row hashed with other parameters still verifies', async () => {
    const { service, store } = setup();
    expect(DEFAULT_KDF).toEqual({ N: 131072, r: 8, p: 1 });
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    const row = store.accounts.get('ana');
    expect(row?.kdf).toEqual(KDF);
    expect(row?.salt).toHaveLength(16);
    expect(row?.hash).toHaveLength(32);
    expect(row?.hash.toString('hex')).not.toContain(Buffer.from(PASSWORD).toString('hex'));
    const stronger = new AccountsService({
      repo: store.accounts,
      transaction: (work) => store.transaction(work),
      audit: { record: () => undefined },
      who: () => ({ account: 'local user' }),
      kdf: { N: 2048, r: 8, p: 1 },
    });
    expect((await stronger.verify('ana', PASSWORD)).ok).toBe(true);
  });

  it('leaves password hashes out of a snapshot file, free pages included', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'switchyard.db');
    const { service, store } = setup(file);
    await service.add({ name: 'ana', role: 'admin', password: PASSWORD });
    const hash = store.accounts.get('ana')?.hash;
    expect(hash).toBeDefined();
    const snapshot = path.join(dir, 'incident.snapshot');
    await copyDatabase(file, snapshot);
    // The raw copy holds the hash (so the check below can fail); sealing is what removes it.
    expect(readFileSync(snapshot).includes(hash as Buffer)).toBe(true);
    sealSnapshot(snapshot, { takenAt: 1, appVersion: 'test', note: '' });
    const bytes = readFileSync(snapshot);
    expect(bytes.includes(hash as Buffer)).toBe(false);
    const copy = openStore({ file: snapshot, readonly: true });
    stores.push(copy);
    expect(copy.accounts.list()).toEqual([]);
  });
});
