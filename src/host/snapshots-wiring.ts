import { createSnapshotsService, type SnapshotsDeps, type SnapshotsService } from '../services/snapshots/snapshots-service';
import type { UploadQuota } from '../services/snapshots/upload-quota';
import type { HostCore } from './core-wiring';

// Snapshots for the composition root (app.ts): saved from the live file, opened through the
// session switch, progress pushed to the UI.

export function createSnapshotsWiring(
  core: Pick<HostCore, 'liveFile' | 'hostClock' | 'sessions' | 'bus'>,
  options: {
    dataDir: string;
    nativeBinding?: string | undefined;
    pickSnapshotFile?: SnapshotsDeps['pickFile'] | undefined;
    snapshotUploadQuota?: Partial<UploadQuota> | undefined;
  },
  deps: { version: string; savedBy: () => string },
): SnapshotsService {
  return createSnapshotsService({
    dataDir: options.dataDir,
    liveFile: core.liveFile,
    appVersion: deps.version,
    // The same name action runs record as who asked.
    savedBy: deps.savedBy,
    clock: core.hostClock,
    sessions: core.sessions,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    onProgress: (file, p, done) => core.bus.emit('snapshots:progress', { file, ...p, done }),
    ...(options.pickSnapshotFile ? { pickFile: options.pickSnapshotFile } : {}),
    ...(options.snapshotUploadQuota ? { uploadQuota: options.snapshotUploadQuota } : {}),
  });
}
