import type { snapshotsMethods } from '../../contract/snapshots-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handlers';

export function snapshotsHandlers({ snapshots }: HandlerDeps): Pick<Handlers, keyof typeof snapshotsMethods> {
  return {
    'snapshots:save': (input) => snapshots.save(input),
    'snapshots:list': () => snapshots.list(),
    'snapshots:info': ({ file }) => snapshots.info(file),
    'snapshots:open': ({ file }) => snapshots.open(file),
    'snapshots:open-file': () => snapshots.openChosen(),
    'snapshots:close': () => snapshots.close(),
    'snapshots:diff': ({ a, b }) => snapshots.diff(a, b),
  };
}
