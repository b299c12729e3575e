import { z } from 'zod';

// The fleet's shapes as they cross the contract. Field names follow the reference's Server List
// and Server Config; identifiers are stable strings, never SQLite rowids.

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an identifier');

/** Short human names (zones, clusters, aliases): printable, no control characters. */
export const Name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  // `*`, not `+`: an empty name is refused once, as required, not also for control characters.
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const ServerType = z.enum(['dispatcher', 'switch']);
export type ServerType = z.infer<typeof ServerType>;

/** What the operator last asked of the server (Start/Stop); monitoring refines the rest. */
export const AdminState = z.enum(['running', 'stopped']);
export type AdminState = z.infer<typeof AdminState>;

/** Derived status. Monitoring adds online/degraded/down; until then a running server is unknown. */
export const ServerStatus = z.enum(['unknown', 'online', 'degraded', 'down', 'stopped', 'expired']);
export type ServerStatus = z.infer<typeof ServerStatus>;

export const Port = z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535');

export const Ports = z.strictObject({ udp: Port, tcp: Port, tls: Port });
export type Ports = z.infer<typeof Ports>;

export const Interconnect = z.strictObject({
  terminationIngress: z.boolean(),
  terminationEgress: z.boolean(),
  originationIngress: z.boolean(),
  originationEgress: z.boolean(),
});
export type Interconnect = z.infer<typeof Interconnect>;

/**
 * SHA-256 fingerprint of a self-signed TLS certificate the user accepted for SIP over TLS:
 * 64 hex digits, bare or in colon-separated pairs as browsers and `openssl x509 -fingerprint` show it.
 */
export const TlsPin = z
  .string()
  .trim()
  .regex(
    /^(?:[0-9A-Fa-f]{64}|(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})$/,
    'must be a SHA-256 fingerprint: 64 hex digits, with or without colons',
  );

export const CapacityFailover = z.strictObject({
  enabled: z.boolean(),
  /** Another server of the same cluster, by id. */
  targetId: Id.nullable(),
});

/** The reference's "Server Config" section, one field per setting. */
export const ServerConfig = z.strictObject({
  interconnect: Interconnect,
  uacAuth: z.boolean(),
  webrtcTls: z.boolean(),
  fqdn: z.string().trim().max(253).nullable(),
  autoUpgrade: z.boolean(),
  disableUacPing: z.boolean(),
  uacLocationSharing: z.boolean(),
  tlsInternals: z.boolean(),
  restrictDirect: z.boolean(),
  /** false: traces relayed over UDP (the reference's default); true: over TCP. */
  tcpSipTrace: z.boolean(),
  anyReg: z.boolean(),
  /** Where CDRs and routing are processed (the reference's "US, EU"); null: the server's zone. */
  processingZone: z.string().trim().max(64).nullable(),
  ports: Ports,
  capacityFailover: CapacityFailover,
  /** Accept this self-signed certificate (by SHA-256 fingerprint) for SIP over TLS; null: normal verification. */
  tlsPin: TlsPin.nullable().default(null),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

export const SshAuth = z.enum(['agent', 'key', 'password']);
export const SshSettings = z.strictObject({
  /** Address or ~/.ssh/config alias to connect to; null: the server's IP. */
  host: z.string().trim().max(253).nullable(),
  port: Port,
  user: z.string().trim().min(1).max(64),
  auth: SshAuth,
  keyPath: z.string().trim().max(4096).nullable(),
  jumpHost: z.string().trim().max(300).nullable(),
});
export type SshSettings = z.infer<typeof SshSettings>;

/** What a user edits: everything but identity and bookkeeping. */
export const ServerDraft = z.strictObject({
  ip: z.string().trim().min(1, 'is required').max(64),
  alias: Name,
  type: ServerType,
  clusterId: Id.nullable(),
  zoneId: Id,
  channels: z.number().int('must be a whole number').positive('must be at least 1').max(1_000_000),
  cps: z.number().int('must be a whole number').positive('must be at least 1').max(100_000),
  /** End of the test period, UTC ms; null: no expiry. */
  expiresAt: z.number().int().min(-8.64e15, 'must be a date').max(8.64e15, 'must be a date').nullable(),
  adminState: AdminState,
  config: ServerConfig,
  ssh: SshSettings,
});
export type ServerDraft = z.infer<typeof ServerDraft>;

export const Server = ServerDraft.extend({
  id: Id,
  status: ServerStatus,
  /** Set when a setting changed since the last Install Server, as the reference recommends. */
  installRecommended: z.boolean(),
  updatePending: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Server = z.infer<typeof Server>;

/**
 * What the fleet table, the Overview wall and the pickers show of a server: its identity, place,
 * limits and state, without its configuration or SSH settings (a fifth of the full record's bytes).
 * Screens that edit or show the configuration read the full record with `fleet:get-server`.
 */
export const ServerRow = Server.pick({
  id: true,
  ip: true,
  alias: true,
  type: true,
  clusterId: true,
  zoneId: true,
  channels: true,
  cps: true,
  expiresAt: true,
  adminState: true,
  status: true,
  installRecommended: true,
  updatePending: true,
}).extend({
  /** The configuration's FQDN (certificate requests list the servers that have one). */
  fqdn: z.string().nullable(),
});
export type ServerRow = z.infer<typeof ServerRow>;

export const ZoneDraft = z.strictObject({ name: Name, description: z.string().trim().max(500) });
export type ZoneDraft = z.infer<typeof ZoneDraft>;
export const Zone = ZoneDraft.extend({ id: Id, serverCount: z.number().int(), rtpCount: z.number().int() });
export type Zone = z.infer<typeof Zone>;

export const ClusterDraft = z.strictObject({ name: Name, description: z.string().trim().max(500) });
export type ClusterDraft = z.infer<typeof ClusterDraft>;
export const Cluster = ClusterDraft.extend({ id: Id, memberCount: z.number().int() });
export type Cluster = z.infer<typeof Cluster>;

export const RtpDraft = z.strictObject({ ip: z.string().trim().min(1, 'is required').max(64), alias: Name, zoneId: Id });
export type RtpDraft = z.infer<typeof RtpDraft>;
export const RtpServer = RtpDraft.extend({ id: Id });
export type RtpServer = z.infer<typeof RtpServer>;

export const FleetFormat = z.enum(['json', 'csv']);
export type FleetFormat = z.infer<typeof FleetFormat>;

export const ImportSummary = z.object({
  zones: z.number().int(),
  clusters: z.number().int(),
  servers: z.number().int(),
  rtpServers: z.number().int(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;
