import path from 'node:path';
import type { snapshotsMethods } from '../../contract/snapshots-methods';
import { makePrivate } from '../../services/store/file-modes';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

export function snapshotsHandlers({ snapshots, monitoring }: HandlerDeps): Pick<Handlers, keyof typeof snapshotsMethods> {
  return {
    'snapshots:save': async (input) => {
      // The samples the console already shows go in: the writer otherwise holds up to a second of them.
      monitoring.flushSamples();
      const meta = await snapshots.save(input);
      // A snapshot holds the whole fleet and its logs: readable by the operator's account only.
      makePrivate(path.join(snapshots.folder, path.basename(meta.file)));
      return meta;
    },
    'snapshots:list': () => snapshots.list(),
    'snapshots:info': ({ file }) => snapshots.info(file),
    'snapshots:open': ({ file }) => snapshots.open(file),
    'snapshots:open-file': () => snapshots.openChosen(),
    'snapshots:close': () => snapshots.close(),
    'snapshots:diff': ({ a, b }) => snapshots.diff(a, b),
    'snapshots:admit-upload': ({ bytes }) => snapshots.admitUpload(bytes),
  };
}
