import type { mediaMethods } from '../../contract/media-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function mediaHandlers({ media }: HandlerDeps): Pick<Handlers, keyof typeof mediaMethods> {
  return {
    'media:measure': (input) => media.measure(input),
    'media:last': ({ serverId }) => media.last(serverId),
    'media:zones': () => media.zones(),
    'media:set-zone': ({ serverId, zoneId }) => media.setZone(serverId, zoneId),
    'media:get-ssh': () => media.ssh(),
    'media:set-ssh': (settings) => media.setSsh(settings),
  };
}
