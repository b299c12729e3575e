import type { apibanMethods } from '../../contract/apiban-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function apibanHandlers({ apiban }: HandlerDeps): Pick<Handlers, keyof typeof apibanMethods> {
  return {
    'apiban:set-key': (input) => apiban.setKey(input),
    'apiban:status': () => apiban.status(),
    'apiban:sync': () => apiban.sync(),
    'apiban:check': ({ ip }) => apiban.check(ip),
    'apiban:list': ({ search, limit, offset }) => apiban.list(search, limit, offset),
    'apiban:apply': ({ serverIds, method }) => apiban.apply(serverIds, method),
    'apiban:set-schedule': (input) => apiban.setSchedule(input),
    'apiban:list-allowed': () => apiban.allowList(),
    'apiban:add-allowed': ({ entry, note }) => apiban.addAllowed(entry, note),
    'apiban:remove-allowed': ({ entry }) => apiban.removeAllowed(entry),
  };
}
