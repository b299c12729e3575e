import type { HandlerDeps } from '../handler-deps';
import type { Handlers } from '../dispatch';
import type { appMethods, fleetMethods } from '../../contract/fleet-methods';

type Area = keyof typeof appMethods | keyof typeof fleetMethods;

export function fleetHandlers({ fleet, info }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'app:info': () => info(),
    'settings:get': () => fleet.settings.get(),
    'settings:update': (patch) => fleet.settings.update(patch),

    'fleet:list-zones': () => fleet.zones.list(),
    'fleet:create-zone': (draft) => fleet.zones.create(draft),
    'fleet:update-zone': ({ id, draft }) => fleet.zones.update(id, draft),
    'fleet:delete-zone': ({ id }) => fleet.zones.delete(id),

    'fleet:list-clusters': () => fleet.clusters.list(),
    'fleet:create-cluster': (draft) => fleet.clusters.create(draft),
    'fleet:update-cluster': ({ id, draft }) => fleet.clusters.update(id, draft),
    'fleet:delete-cluster': (input) => fleet.clusters.delete(input),

    'fleet:list-servers': () => fleet.servers.list(),
    'fleet:list-rows': () => fleet.servers.listRows(),
    'fleet:get-server': ({ id }) => fleet.servers.get(id),
    'fleet:create-server': (draft) => fleet.servers.create(draft),
    'fleet:update-server': ({ id, draft }) => fleet.servers.update(id, draft),
    'fleet:delete-servers': ({ ids }) => fleet.servers.delete(ids),

    'fleet:list-rtp': () => fleet.rtp.list(),
    'fleet:create-rtp': (draft) => fleet.rtp.create(draft),
    'fleet:update-rtp': ({ id, draft }) => fleet.rtp.update(id, draft),
    'fleet:delete-rtp': ({ id }) => fleet.rtp.delete(id),

    'fleet:import': ({ format, text }) => fleet.transfer.importText(format, text),
    'fleet:export': ({ format }) => fleet.transfer.exportText(format),
    'fleet:load-demo': () => fleet.loadDemo(),
  };
}
