// Compares two stores (two snapshots, or a snapshot and the live fleet): the inventory and the
// certificates through the repositories, and the action and tool runs recorded in B after A was
// taken.
import { diffCertificates, type PictureCertificate } from '../../domain/snapshots/certificate-diff';
import { diffFleets, type FleetPicture } from '../../domain/snapshots/diff';
import { runsBetween, type RunBetween } from '../store/snapshot-file';
import type { Store } from '../store/store';
import type { OpenedSnapshot } from './open-snapshot';

/** The schema version that began recording certificates; a snapshot saved before it holds none. */
export const CERTIFICATES_SCHEMA = 6;

export interface Side {
  store: Store;
  label: string;
  takenAt: number;
  /** False for a snapshot saved before certificates were recorded (its migrated copy has empty tables). */
  certificatesRecorded?: boolean;
}

/** One side of a comparison from an opened snapshot file. */
export function snapshotSide(opened: OpenedSnapshot, label: string): Side {
  const recorded = opened.migratedFrom === null || opened.migratedFrom >= CERTIFICATES_SCHEMA;
  return { store: opened.store, label, takenAt: opened.meta.takenAt, certificatesRecorded: recorded };
}

export function pictureOf(store: Store): FleetPicture {
  return { servers: store.servers.list(), clusters: store.clusters.list(), zones: store.zones.list(), rtp: store.rtp.list() };
}

export function certificatesOf(store: Store): PictureCertificate[] {
  const ipOf = new Map(store.servers.list().map((s) => [s.id, s.ip]));
  return store.certificates.list().map((c) => ({
    fingerprint256: c.fingerprint256,
    name: c.name,
    assignments: store.certificates
      .assignmentsOfCertificate(c.id)
      .map((a) => ({ serverIp: ipOf.get(a.serverId) ?? a.serverId, type: a.type, domains: a.domains })),
  }));
}

export function compareStores(a: Side, b: Side) {
  const runs: RunBetween[] = runsBetween(b.store.db, a.takenAt, b.takenAt);
  const notes: string[] = [];
  for (const side of [a, b]) {
    if (side.certificatesRecorded === false) {
      notes.push(`${side.label} was saved before Switchyard recorded certificates: its certificates are compared as none.`);
    }
  }
  return {
    a: { label: a.label, takenAt: a.takenAt },
    b: { label: b.label, takenAt: b.takenAt },
    ...diffFleets(pictureOf(a.store), pictureOf(b.store)),
    certificates: diffCertificates(certificatesOf(a.store), certificatesOf(b.store)),
    runs,
    notes,
  };
}

export type StoreComparison = ReturnType<typeof compareStores>;
