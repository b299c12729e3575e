import { z } from 'zod';
import { Id, Name } from './fleet';
import { command, query } from './spec';

// Probes from the servers' own vantage points: chosen servers (the dispatchers by default) run one
// long-lived `fping -l` each over the SSH pool, no agent installed, against their cluster's
// switches, the RTP servers and addresses the operator adds. Samples are stored per (source,
// target); `monitoring:series` takes the source.

/** 'local' is this workstation; any other source is the id of the vantage server that measured. */
export const SourceName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be "local" or a server id');

export const VantageTargetDraft = z.strictObject({
  /** An IP address or host name; checked as ping's targets are (it reaches fping's argv). */
  address: z.string().trim().min(1, 'is required').max(253, 'must be at most 253 characters'),
  label: Name,
});
export type VantageTargetDraft = z.infer<typeof VantageTargetDraft>;

export const VantageSettings = z.strictObject({
  /** Off until the operator turns it on: no SSH connection to every dispatcher by surprise. */
  enabled: z.boolean(),
  /** Which servers probe: every dispatcher, or the ones chosen. */
  sources: z.enum(['dispatchers', 'chosen']),
  chosen: z.array(Id).max(1_000),
  /** One fping period: each target gets one probe from each vantage point this often. */
  intervalSec: z.number().int('must be a whole number of seconds').min(1, 'must be 1–60 s').max(60, 'must be 1–60 s'),
  /** Probe the switches of the vantage server's own cluster. */
  switches: z.boolean(),
  /** Probe every RTP server. */
  rtp: z.boolean(),
  /** Addresses the operator adds (a customer, a carrier). */
  targets: z.array(VantageTargetDraft).max(200, 'at most 200 extra targets'),
});
export type VantageSettings = z.infer<typeof VantageSettings>;

export const VantageTargetKind = z.enum(['switch', 'rtp', 'address']);

export const VantageTarget = z.object({
  /** The series id the samples are stored under: a server id, `rtp_<id>` or `addr_<n>`. */
  id: z.string(),
  kind: VantageTargetKind,
  address: z.string(),
  label: z.string(),
  /** The newest ICMP sample from this vantage point (stored), or null before any. */
  last: z.object({ at: z.number(), rttMs: z.number().nullable() }).nullable(),
  /** The UDP port SIP OPTIONS go to (switches), or null: this target is probed by ICMP only. */
  sipPort: z.number().int().nullable(),
  /** The newest SIP OPTIONS sample from this vantage point: round trip (null: lost) and the response code. */
  lastSip: z.object({ at: z.number(), rttMs: z.number().nullable(), code: z.number().int().nullable() }).nullable(),
});
export type VantageTarget = z.infer<typeof VantageTarget>;

export const VantageState = z.enum(['connecting', 'streaming', 'retrying', 'failed', 'stopped']);
export type VantageState = z.infer<typeof VantageState>;

export const VantageSourceStatus = z.object({
  serverId: Id,
  alias: z.string(),
  ip: z.string(),
  state: VantageState,
  /** Why it is not streaming, in words naming the server ("fping is not installed on …"); empty when fine. */
  reason: z.string(),
  /** When the state began, UTC ms. */
  since: z.number(),
  /** Reconnect attempts since the stream last ran well. */
  attempt: z.number().int(),
  /** When the next reconnect is due (retrying only). */
  retryAt: z.number().nullable(),
  /** The SIP OPTIONS sender found on the server (sipsak, then sipp, are looked for), or null. */
  sipTool: z.enum(['sipsak', 'sipp']).nullable(),
  /** The sender this stream runs OPTIONS with, or null: ICMP only. */
  sipSender: z.enum(['sipsak']).nullable(),
  /** Which sender and to how many targets, or "none: ICMP only — …" and why. */
  sipNote: z.string(),
  /** SIP samples stored by this stream (`samples` counts the ICMP ones). */
  sipSamples: z.number().int(),
  /** Lines from the server that were no result we could read, counted and ignored. */
  unreadableLines: z.number().int(),
  /** The fping on the server, as `fping -v` says; null before the first check. */
  fpingVersion: z.string().nullable(),
  samples: z.number().int(),
  lastSampleAt: z.number().nullable(),
  /** Whether this host runs the streams (serve, the app); a one-shot CLI shows what the host last stored. */
  live: z.boolean(),
  targets: z.array(VantageTarget),
});
export type VantageSourceStatus = z.infer<typeof VantageSourceStatus>;

export const VantageStatus = z.object({
  enabled: z.boolean(),
  sources: z.array(VantageSourceStatus),
});
export type VantageStatus = z.infer<typeof VantageStatus>;

export const SourceOption = z.object({ source: SourceName, label: z.string() });
export type SourceOption = z.infer<typeof SourceOption>;

export const vantageMethods = {
  'vantage:settings': query(z.strictObject({}), VantageSettings),
  'vantage:save-settings': command(VantageSettings, VantageSettings),
  'vantage:status': query(z.strictObject({}), VantageStatus),
  /** Who measures this target: this workstation first, then each vantage server with history of it. */
  'vantage:sources': query(z.strictObject({ targetId: Id }), z.array(SourceOption)),
};

/** Pushed when a stream changes state (connecting, streaming, retrying with the reason). */
export const VantageStatusPush = z.object({ source: VantageSourceStatus.omit({ targets: true }) });
