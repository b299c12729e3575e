import type { vantageMethods } from '../../contract/vantage-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function vantageHandlers({ vantage }: HandlerDeps): Pick<Handlers, keyof typeof vantageMethods> {
  return {
    'vantage:settings': () => vantage.settings(),
    'vantage:save-settings': (input) => vantage.saveSettings(input),
    'vantage:status': () => vantage.status(),
    'vantage:sources': ({ targetId }) => vantage.sources(targetId),
  };
}
