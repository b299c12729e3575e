// Compares two stores (two snapshots, or a snapshot and the live fleet): the inventory through
// the repositories, and the action and tool runs recorded in B after A was taken.
import { diffFleets, type FleetPicture } from '../../domain/snapshots/diff';
import { runsBetween, type RunBetween } from '../store/snapshot-file';
import type { Store } from '../store/store';

export interface Side {
  store: Store;
  label: string;
  takenAt: number;
}

export function pictureOf(store: Store): FleetPicture {
  return { servers: store.servers.list(), clusters: store.clusters.list(), zones: store.zones.list(), rtp: store.rtp.list() };
}

export function compareStores(a: Side, b: Side) {
  const runs: RunBetween[] = runsBetween(b.store.db, a.takenAt, b.takenAt);
  return {
    a: { label: a.label, takenAt: a.takenAt },
    b: { label: b.label, takenAt: b.takenAt },
    ...diffFleets(pictureOf(a.store), pictureOf(b.store)),
    runs,
  };
}

export type StoreComparison = ReturnType<typeof compareStores>;
