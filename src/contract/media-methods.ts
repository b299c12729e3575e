import { z } from 'zod';
import { Id, Port } from './fleet';
import { command, query, withRole } from './spec';

// Media server selection: each SIP server's media zone (null: automatic), the Media path tool that
// measures from every RTP server to both ends of a call and ranks the zones, and how Switchyard
// reaches RTP servers over SSH to do it.

const Address = z.string().trim().min(1, 'is required').max(253, 'must be at most 253 characters');

export const MeasureInput = z.strictObject({
  /** The customer's address or host name. */
  customer: Address,
  /** The carrier's address or host name; absent: the server below is the carrier's end. */
  carrier: Address.optional(),
  /** The SIP server the media zone is chosen for; when it is the carrier's end, the direct figure is measured from it. */
  serverId: Id.optional(),
});
export type MeasureInput = z.infer<typeof MeasureInput>;

export const PathFigure = z.object({ rttMs: z.number().nullable(), lossPct: z.number().nullable(), error: z.string().nullable() });

export const RtpProbe = z.object({
  rtpId: z.string(),
  alias: z.string(),
  ip: z.string(),
  zoneId: z.string(),
  customer: PathFigure,
  carrier: PathFigure,
});
export type RtpProbe = z.infer<typeof RtpProbe>;

export const ZoneRank = z.object({
  zoneId: z.string(),
  zoneName: z.string(),
  rank: z.number().int().nullable(),
  via: z.object({ rtpId: z.string(), alias: z.string(), ip: z.string() }).nullable(),
  customerMs: z.number().nullable(),
  carrierMs: z.number().nullable(),
  pathMs: z.number().nullable(),
  addedMs: z.number().nullable(),
  behindBestMs: z.number().nullable(),
  lossPct: z.number().nullable(),
  servers: z.number().int(),
  answered: z.number().int(),
  note: z.string().nullable(),
});
export type ZoneRank = z.infer<typeof ZoneRank>;

export const MediaMeasurement = z.object({
  id: z.string(),
  measuredAt: z.number().int(),
  customer: z.string(),
  carrier: z.string(),
  serverId: z.string().nullable(),
  /** 'sw1 (192.0.2.10)' for the server chosen, null when none was. */
  serverLabel: z.string().nullable(),
  direct: z.object({ rttMs: z.number().nullable(), lossPct: z.number().nullable(), note: z.string() }),
  zones: z.array(ZoneRank),
  probes: z.array(RtpProbe),
  verdict: z.string(),
  rule: z.string(),
  /** Every RTP server (or the direct path) that gave no figure, naming the server and the target. */
  errors: z.array(z.string()),
  durationMs: z.number().int(),
});
export type MediaMeasurement = z.infer<typeof MediaMeasurement>;

export const MediaProgress = z.object({
  measurementId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  /** What just finished: 'rtp-ny1 → customer 203.0.113.5: 12.3 ms' or the failure. */
  last: z.string(),
});
export type MediaProgress = z.infer<typeof MediaProgress>;

export const MediaZoneSetting = z.object({ serverId: z.string(), zoneId: z.string().nullable() });
export type MediaZoneSetting = z.infer<typeof MediaZoneSetting>;

/** How RTP servers are reached over SSH; null fields are filled from ~/.ssh/config, as ssh does. */
export const MediaSsh = z.strictObject({
  port: Port.nullable(),
  user: z.string().trim().min(1).max(64).nullable(),
  /** ssh-agent or a key file; passwords are not offered for RTP servers (nothing to name their secret by). */
  auth: z.enum(['agent', 'key']),
  keyPath: z.string().trim().min(1).max(4096).nullable(),
  jumpHost: z.string().trim().min(1).max(300).nullable(),
});
export type MediaSsh = z.infer<typeof MediaSsh>;

export const mediaMethods = {
  /** Measures from every RTP server to both ends and ranks the zones; resolves when done (progress as events). */
  'media:measure': withRole('operator', command(MeasureInput, MediaMeasurement)),
  /** The last measurement, for one server or any. */
  'media:last': query(z.strictObject({ serverId: Id.optional() }), MediaMeasurement.nullable()),
  /** Every server's media zone (null: automatic). */
  'media:zones': query(z.strictObject({}), z.array(MediaZoneSetting)),
  'media:set-zone': command(z.strictObject({ serverId: Id, zoneId: Id.nullable() }), MediaZoneSetting),
  'media:get-ssh': query(z.strictObject({}), MediaSsh),
  'media:set-ssh': command(MediaSsh, MediaSsh),
};
