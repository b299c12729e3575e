// A stand-in because these tests exercise the transports and the contract (validation,
// roles, envelopes), which need every method answered but no database; the real accounts service
// is tested against a real store in src/services/accounts/accounts-service.test.ts and through the
// real host and CLI in test/integration/cli-user.test.ts and team-serve-cli.test.ts.
// The accounts area of the fake host: a valid input for every accounts method, and handlers that
// answer with fixed, schema-valid values.
import type { Account, accountsMethods } from '../../src/contract/accounts-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof accountsMethods;
const NOW = 1_767_225_600_000;

export const sampleAccount: Account = { name: 'ana', role: 'operator', disabled: false, createdAt: NOW, changedAt: NOW };

export const accountsSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'accounts:list': {},
  'accounts:add': { name: 'ana', role: 'operator', password: 'correct horse battery' },
  'accounts:disable': { name: 'ana' },
  'accounts:enable': { name: 'ana' },
  'accounts:reset-password': { name: 'ana', password: 'another long password' },
  'accounts:set-role': { name: 'ana', role: 'viewer' },
};

export function accountsFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'accounts:list': () => seen('accounts:list', [sampleAccount]),
    'accounts:add': ({ name, role }) => seen('accounts:add', { ...sampleAccount, name, role }),
    'accounts:disable': ({ name }) => seen('accounts:disable', { ...sampleAccount, name, disabled: true }),
    'accounts:enable': ({ name }) => seen('accounts:enable', { ...sampleAccount, name }),
    'accounts:reset-password': ({ name }) => seen('accounts:reset-password', { ...sampleAccount, name }),
    'accounts:set-role': ({ name, role }) => seen('accounts:set-role', { ...sampleAccount, name, role }),
  };
}
