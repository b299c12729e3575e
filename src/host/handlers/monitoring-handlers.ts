import type { HandlerDeps } from '../handler-deps';
import type { Handlers } from '../dispatch';
import type { monitoringMethods } from '../../contract/monitoring-methods';

type Area = keyof typeof monitoringMethods;

export function monitoringHandlers({ monitoring }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'monitoring:series': (input) => monitoring.series(input),
    'monitoring:latest': ({ serverIds }) => monitoring.latest(serverIds),
    'monitoring:latest-summaries': ({ serverIds }) => monitoring.latestSummaries(serverIds),
    'monitoring:backend': () => monitoring.backend(),
    'monitoring:events': (query) => monitoring.events(query),
  };
}
