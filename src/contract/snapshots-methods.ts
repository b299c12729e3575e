import { z } from 'zod';
import { command, query, withRole } from './spec';

// Saved fleet snapshots: save, list, open read-only, close, describe, compare.
//
// `snapshots:save` is a command: it writes a file on the host's disk, so a read-only console (a
// wall display, or a snapshot already open) refuses it like any other write. `snapshots:open` and
// `snapshots:close` change no data, so a console showing a snapshot can always go on to another
// or return to the live fleet; but the view they switch is the host's, shared by every console
// (and showing a snapshot pauses the live monitoring), so they are `shared-state` and a read-only
// wall display refuses them: a viewer never switches the other viewers or stops the probes.
// Uploads write into the data folder: `snapshots:admit-upload` is their gate, refused there too.

/** A file name inside `<dataDir>/snapshots/` (paths are refused by the host, with the reason). */
export const SnapshotName = z.string().max(260);

export const SnapshotCounts = z.object({
  servers: z.number().int(),
  clusters: z.number().int(),
  zones: z.number().int(),
  rtpServers: z.number().int(),
  samples: z.number().int(),
  toolRuns: z.number().int(),
  actionRuns: z.number().int(),
});

export const SnapshotMeta = z.object({
  /** File name (not the full path: the UI needs no more, and a path says where the host keeps data). */
  file: z.string(),
  takenAt: z.number().int(),
  /** The Switchyard version that saved it. */
  version: z.string(),
  /**
   * Who saved it: the OS user name of the host that saved it (the console has no accounts yet);
   * null for snapshots saved before the saver was recorded.
   */
  savedBy: z.string().nullable(),
  schemaVersion: z.number().int(),
  note: z.string(),
  counts: SnapshotCounts,
  bytes: z.number().int(),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

/** One file in the snapshots folder: its metadata, or why it cannot be opened. */
export const SnapshotEntry = z.object({
  file: z.string(),
  bytes: z.number().int(),
  modifiedAt: z.number().int(),
  meta: SnapshotMeta.nullable(),
  problem: z.string().nullable(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntry>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const FieldChange = z.object({ field: z.string(), old: Scalar, new: Scalar });
export type FieldChange = z.infer<typeof FieldChange>;

const keyed = <S extends z.ZodObject>(id: S) =>
  z.object({ added: z.array(id), removed: z.array(id), changed: z.array(id.extend({ fields: z.array(FieldChange) })) });
const ByIp = z.object({ ip: z.string(), label: z.string() });
const ByName = z.object({ name: z.string(), label: z.string() });
/** Certificates are matched by SHA-256 fingerprint; the label is the certificate's name. */
const ByFingerprint = z.object({ fingerprint: z.string(), label: z.string() });

export const RunBetween = z.object({
  id: z.string(),
  kind: z.enum(['action', 'tool']),
  label: z.string(),
  status: z.string(),
  startedAt: z.number().int(),
});

export const DiffSide = z.object({ label: z.string(), takenAt: z.number().int() });

export const SnapshotDiff = z.object({
  a: DiffSide,
  b: DiffSide,
  servers: keyed(ByIp),
  clusters: keyed(ByName),
  zones: keyed(ByName),
  rtp: keyed(ByIp),
  certificates: keyed(ByFingerprint),
  /** Action and tool runs recorded after A was taken, up to B. */
  runs: z.array(RunBetween),
  /** What the comparison could not see, in a sentence each (a snapshot older than certificates, say). */
  notes: z.array(z.string()),
});
export type SnapshotDiff = z.infer<typeof SnapshotDiff>;

export const SnapshotProgress = z.object({
  file: z.string(),
  copiedPages: z.number().int(),
  totalPages: z.number().int(),
  done: z.boolean(),
});

export const snapshotsMethods = {
  'snapshots:save': withRole(
    'operator',
    command(
      z.strictObject({
        file: SnapshotName.optional(),
        note: z.string().trim().max(2000).default(''),
        // Leave raw samples out: the rollups only, a far smaller file to send.
        rollupsOnly: z.boolean().default(false),
      }),
      SnapshotMeta,
    ),
  ),
  'snapshots:list': query(z.strictObject({}), z.array(SnapshotEntry)),
  'snapshots:info': query(z.strictObject({ file: SnapshotName }), SnapshotMeta),
  'snapshots:open': query(z.strictObject({ file: SnapshotName }), SnapshotMeta, ['shared-state']),
  // The desktop app's "Open snapshot file…": the host asks its own shell for a file dialog, so the
  // renderer never names a path; null when the user cancelled. A browser console uploads instead.
  'snapshots:open-file': query(z.strictObject({}), SnapshotMeta.nullable(), ['shared-state']),
  'snapshots:close': query(z.strictObject({}), z.object({ mode: z.literal('live') }), ['shared-state']),
  // Asked by the upload endpoint before it reads a byte: whether the folder has room for a file of
  // this size (0 when the browser did not say), and the most this upload may be.
  'snapshots:admit-upload': query(z.strictObject({ bytes: z.number().int().min(0) }), z.object({ maxBytes: z.number().int() }), [
    'writes-file',
  ]),
  'snapshots:diff': query(z.strictObject({ a: SnapshotName, b: z.union([SnapshotName, z.literal('live')]) }), SnapshotDiff),
};
