import type { HandlerDeps } from '../handler-deps';
import type { Handlers } from '../dispatch';
import type { alertsMethods } from '../../contract/alerts-methods';

type Area = keyof typeof alertsMethods;

export function alertsHandlers({ alerts }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'alerts:list': (filter) => alerts.service.list(filter),
    'alerts:get': ({ id }) => alerts.service.get(id),
    'alerts:counts': () => alerts.service.counts(),
    'alerts:acknowledge': ({ ids, note }) => alerts.service.acknowledge(ids, note),
    'alerts:export': ({ format, filter }) => alerts.service.export(format, filter),
    'alerts:list-rules': () => alerts.rules.list(),
    'alerts:effective-rules': ({ serverId }) => alerts.rules.effective(serverId),
    'alerts:set-rule': ({ kind, scope, params }) => alerts.rules.set(kind, scope, params),
    'alerts:delete-rule': ({ id }) => alerts.rules.delete(id),
    'alerts:list-channels': () => alerts.channels.list(),
    'alerts:save-channel': (input) => alerts.channels.save(input),
    'alerts:delete-channel': ({ id }) => alerts.channels.delete(id),
    'alerts:test-channel': ({ id }) => alerts.channels.test(id),
    'alerts:list-routes': () => alerts.channels.routes(),
    'alerts:save-route': (input) => alerts.channels.saveRoute(input),
    'alerts:delete-route': ({ id }) => alerts.channels.deleteRoute(id),
    'alerts:list-deliveries': ({ channelId, limit }) => alerts.channels.deliveries(channelId, limit),
    'alerts:list-silences': ({ includeEnded }) => alerts.service.listSilences(includeEnded),
    'alerts:create-silence': (input) => alerts.service.createSilence(input),
    'alerts:end-silence': ({ id }) => alerts.service.endSilence(id),
    'alerts:list-maintenance': ({ includeEnded }) => alerts.service.listMaintenance(includeEnded),
    'alerts:holds': () => alerts.service.holds(),
  };
}
