// What a snapshot file says about itself (its `snapshot_meta` row). Its own file so the file checker
// and the snapshot writer share it without importing each other.

export interface SnapshotCounts {
  servers: number;
  clusters: number;
  zones: number;
  rtpServers: number;
  samples: number;
  toolRuns: number;
  actionRuns: number;
}

export interface SnapshotMetaRecord {
  format: number;
  takenAt: number;
  appVersion: string;
  schemaVersion: number;
  note: string;
  counts: SnapshotCounts;
  /** Who saved it (the OS user of the host that saved it); null when the file does not say. */
  savedBy: string | null;
}
