import type { accountsMethods } from '../../contract/accounts-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function accountsHandlers({ accounts }: HandlerDeps): Pick<Handlers, keyof typeof accountsMethods> {
  return {
    'accounts:list': () => accounts.list(),
    'accounts:add': (input) => accounts.add(input),
    'accounts:disable': ({ name }) => accounts.disable(name),
    'accounts:enable': ({ name }) => accounts.enable(name),
    'accounts:reset-password': ({ name, password }) => accounts.resetPassword(name, password),
    'accounts:set-role': ({ name, role }) => accounts.setRole(name, role),
  };
}
