import { z } from 'zod';
import { AdminState, Name, Port, ServerType, SshAuth, TlsPin } from '../../contract/fleet';
import { DEFAULT_PORTS } from '../fleet/defaults';

// The interchange format of `fleet import`/`fleet export`: zones, clusters and failover targets
// by name (not internal ids), so a file written on one workstation imports on another. Fields a
// person may leave out take the reference's defaults.

const Text = z.string().trim().max(500);
const Bool = z.boolean();

export const FileInterconnect = z.strictObject({
  terminationIngress: Bool.default(true),
  terminationEgress: Bool.default(true),
  originationIngress: Bool.default(true),
  originationEgress: Bool.default(true),
});

export const FileConfig = z.strictObject({
  interconnect: FileInterconnect.default({
    terminationIngress: true,
    terminationEgress: true,
    originationIngress: true,
    originationEgress: true,
  }),
  uacAuth: Bool.default(false),
  webrtcTls: Bool.default(false),
  fqdn: z.string().trim().max(253).nullable().default(null),
  autoUpgrade: Bool.default(false),
  disableUacPing: Bool.default(false),
  uacLocationSharing: Bool.default(false),
  tlsInternals: Bool.default(false),
  restrictDirect: Bool.default(false),
  tcpSipTrace: Bool.default(false),
  anyReg: Bool.default(false),
  processingZone: z.string().trim().max(64).nullable().default(null),
  ports: z
    .strictObject({ udp: Port.default(DEFAULT_PORTS.udp), tcp: Port.default(DEFAULT_PORTS.tcp), tls: Port.default(DEFAULT_PORTS.tls) })
    .default({ ...DEFAULT_PORTS }),
  capacityFailover: z
    .strictObject({
      enabled: Bool.default(false),
      /** Alias or IP of another server of the same cluster. */
      target: z.string().trim().max(64).nullable().default(null),
    })
    .default({ enabled: false, target: null }),
  tlsPin: TlsPin.nullable().default(null),
});

export const FileSsh = z.strictObject({
  host: z.string().trim().max(253).nullable().default(null),
  port: Port.default(22),
  user: z.string().trim().min(1).max(64).optional(),
  auth: SshAuth.default('agent'),
  keyPath: z.string().trim().max(4096).nullable().default(null),
  jumpHost: z.string().trim().max(300).nullable().default(null),
});

/** The range of a JavaScript date: anything outside it cannot be exported again. */
const MAX_DATE_MS = 8.64e15;

/**
 * A calendar date, optionally with a time and an explicit zone (`Z` or `+02:00`). Date.parse
 * alone would take `1` as the year 2001, `2027-02-30` as 2 March, and a zoneless time as local.
 */
const ISO_DATE = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function isoDateMs(text: string): number {
  const m = ISO_DATE.exec(text);
  if (!m) return Number.NaN;
  // Date.parse rolls 30 February over into March; the calendar date must come back unchanged.
  const day = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.getUTCMonth() + 1 !== Number(m[2]) || day.getUTCDate() !== Number(m[3])) return Number.NaN;
  return Date.parse(text);
}

/** ISO 8601 text (as exported) or UTC milliseconds; null or absent: no expiry. */
const Expiry = z
  .union([z.string().trim().max(64), z.number().int().min(-MAX_DATE_MS).max(MAX_DATE_MS), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'number') return value;
    const ms = isoDateMs(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (use ISO 8601, e.g. 2027-01-31T00:00:00Z)` });
      return z.NEVER;
    }
    return ms;
  });

/** A UAC Auth upstream as exported: never a password (the secret store keeps it; set it again after an import). */
export const FileUacUpstream = z.strictObject({
  registrar: z.string().trim().min(1, 'is required').max(300),
  username: z.string().trim().min(1, 'is required').max(64),
  expiry: z.number().int('must be a whole number of seconds').default(3600),
});
export type FileUacUpstream = z.output<typeof FileUacUpstream>;

export const FileServer = z.strictObject({
  ip: z.string().trim().min(1, 'is required').max(64),
  alias: Name,
  type: ServerType,
  cluster: z.string().trim().max(64).nullable().default(null),
  zone: Name,
  channels: z.number().int('must be a whole number').positive('must be at least 1').max(1_000_000).default(100),
  cps: z.number().int('must be a whole number').positive('must be at least 1').max(100_000).default(10),
  expires: Expiry,
  adminState: AdminState.default('running'),
  installRecommended: Bool.default(false),
  updatePending: Bool.default(false),
  config: FileConfig.default(FileConfig.parse({})),
  ssh: FileSsh.default(FileSsh.parse({})),
  uacUpstreams: z.array(FileUacUpstream).max(50).default([]),
  /** The zone whose RTP servers carry this server's media, by name; null: automatic. */
  mediaZone: z.string().trim().max(64).nullable().default(null),
});
export type FileServer = z.output<typeof FileServer>;

export const FileGroup = z.strictObject({ name: Name, description: Text.default('') });
export const FileRtp = z.strictObject({ ip: z.string().trim().min(1, 'is required').max(64), alias: Name, zone: Name });
export type FileRtp = z.output<typeof FileRtp>;

export const FleetFileSchema = z.strictObject({
  switchyard: z.literal('fleet'),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  zones: z.array(FileGroup).max(10_000).default([]),
  clusters: z.array(FileGroup).max(10_000).default([]),
  servers: z.array(z.unknown()).max(100_000).default([]),
  rtpServers: z.array(z.unknown()).max(100_000).default([]),
});

/** A parsed file, each record remembering where it came from so errors can name it. */
export interface FleetRecords {
  zones: { name: string; description: string }[];
  clusters: { name: string; description: string }[];
  servers: { row: number; label: string; server: FileServer }[];
  rtpServers: { row: number; label: string; rtp: FileRtp }[];
}
