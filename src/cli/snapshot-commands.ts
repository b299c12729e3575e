// `switchyard snapshot save|info|diff`: the same snapshot files the app saves and opens. Paths on
// the command line are the user's own (unlike the UI, which is confined to the snapshots folder).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HostApp } from '../host/app';
import { appVersion, DATABASE_FILE } from '../host/app';
import { compareStores, snapshotSide, type StoreComparison } from '../services/snapshots/compare';
import { openSnapshot, readSnapshotMeta } from '../services/snapshots/open-snapshot';
import { saveSnapshot } from '../services/snapshots/save-snapshot';
import { localUserName } from '../services/shared/local-user';
import type { SnapshotMetaRecord } from '../services/store/snapshot-file';
import { EXIT_OK, UsageError, type Io } from './io';
import { diffText, metaText } from './snapshot-output';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const SNAPSHOT_USAGE = usageOf('snapshot');

export interface SnapshotCommandDeps {
  dataDir: string;
  /** Opens the live fleet (migrating it if needed), for save and diff --live. */
  openApp: () => HostApp;
}

export async function snapshotCommand(args: string[], io: Io, deps: SnapshotCommandDeps): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      note: { type: 'string' },
      data: { type: 'string' },
      live: { type: 'boolean' },
      'rollups-only': { type: 'boolean' },
    },
  });
  if (sub === 'save') {
    const file = only(positionals, 'snapshot save needs one FILE to write.');
    // Opening the fleet first brings its schema up to date, as the app would on start.
    await deps.openApp().close();
    let lastShown = -1;
    const meta = await saveSnapshot({
      source: path.join(deps.dataDir, DATABASE_FILE),
      dest: path.resolve(file),
      note: values.note ?? '',
      appVersion: appVersion(),
      takenAt: Date.now(),
      savedBy: localUserName(),
      rollupsOnly: values['rollups-only'] === true,
      onProgress: ({ copiedPages, totalPages }) => {
        const pct = totalPages === 0 ? 100 : Math.floor((copiedPages / totalPages) * 100);
        // Only for large files, where the wait is noticeable; a few lines, not one per step.
        if (totalPages > 20_000 && pct >= lastShown + 10) {
          lastShown = pct;
          io.err(`copying… ${pct}%\n`);
        }
      },
    });
    io.out(`Saved ${file}\n${metaText(meta)}`);
    return EXIT_OK;
  }
  if (sub === 'info') {
    const file = only(positionals, 'snapshot info needs one FILE.');
    const meta = readSnapshotMeta(file);
    io.out(values.json ? `${JSON.stringify(metaJson(file, meta), null, 2)}\n` : metaText(meta));
    return EXIT_OK;
  }
  if (sub === 'diff') {
    const [a, b, ...extra] = positionals;
    if (a === undefined) throw new UsageError('snapshot diff needs A and B (or --live).');
    if (extra.length > 0 || (values.live === true && b !== undefined))
      throw new UsageError('snapshot diff compares two things: A and B, or A and --live.');
    if (values.live !== true && b === undefined) throw new UsageError('snapshot diff needs B: a second snapshot, or --live.');
    const diff = await compare(a, values.live === true ? null : (b ?? null), deps);
    io.out(values.json ? `${JSON.stringify(diff, null, 2)}\n` : diffText(diff));
    return EXIT_OK;
  }
  throw new UsageError(sub ? `Unknown snapshot command "${sub}".` : 'snapshot needs a command: save, info or diff.');
}

async function compare(a: string, b: string | null, deps: SnapshotCommandDeps): Promise<StoreComparison> {
  const first = openSnapshot(a);
  try {
    const sideA = snapshotSide(first, a);
    if (b === null) {
      const app = deps.openApp();
      try {
        return compareStores(sideA, { store: app.store, label: 'live', takenAt: Date.now() });
      } finally {
        await app.close();
      }
    }
    const second = openSnapshot(b);
    try {
      return compareStores(sideA, snapshotSide(second, b));
    } finally {
      second.close();
    }
  } finally {
    first.close();
  }
}

function only(positionals: string[], message: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError(message);
  return positionals[0];
}

function metaJson(file: string, meta: SnapshotMetaRecord) {
  return {
    file: path.basename(file),
    takenAt: new Date(meta.takenAt).toISOString(),
    version: meta.appVersion,
    schemaVersion: meta.schemaVersion,
    note: meta.note,
    savedBy: meta.savedBy,
    counts: meta.counts,
  };
}
