import { z } from 'zod';
import { Id, ServerStatus } from './fleet';
import { CHARTED_KINDS, PROBE_KINDS } from './probe-kinds';
import { query, withRole } from './spec';

// Live monitoring: chart series, the latest values per server (fleet hover card, overview wall),
// the ICMP backend in use and the status-change log. All reads: a wall display may call them.

// Probe kinds are one list (probe-kinds.ts); the name schema is derived there.
/** A probe kind's name, as the contract checks it (the kinds themselves: probe-kinds.ts). */
export const ProbeKindName = z.enum(PROBE_KINDS);
export type ProbeKindName = z.infer<typeof ProbeKindName>;

export const ChartRange = z.enum(['5m', '1h', '24h', '7d', '30d']);
export type ChartRange = z.infer<typeof ChartRange>;

export const RANGE_MS: Readonly<Record<ChartRange, number>> = {
  '5m': 5 * 60_000,
  '1h': 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
};

const Time = z.number().int().min(0).max(8.64e15);

export const SeriesInput = z
  .strictObject({
    serverId: Id,
    /** A range ending now; or give `from` and `to` (UTC ms) instead. */
    range: ChartRange.optional(),
    from: Time.optional(),
    to: Time.optional(),
    kinds: z
      .array(ProbeKindName)
      .min(1, 'needs at least one probe kind')
      .max(PROBE_KINDS.length)
      .default([...CHARTED_KINDS]),
    /** About one point per pixel of the chart; never more than 2,000. */
    maxPoints: z.number().int().min(10).max(2_000).default(2_000),
    /** Who measured: 'local' (this workstation) or a vantage server's id (see vantage-methods.ts). */
    source: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be "local" or a server id')
      .default('local'),
  })
  .superRefine((v, ctx) => {
    const explicit = v.from !== undefined || v.to !== undefined;
    if (v.range !== undefined && explicit)
      ctx.addIssue({ code: 'custom', path: ['range'], message: 'give either a range or from/to, not both' });
    if (v.range === undefined && !explicit)
      ctx.addIssue({ code: 'custom', path: ['range'], message: 'is required (5m, 1h, 24h, 7d, 30d) unless from and to are given' });
    if (explicit && (v.from === undefined || v.to === undefined))
      ctx.addIssue({ code: 'custom', path: [v.from === undefined ? 'from' : 'to'], message: 'is required with from/to' });
    if (v.from !== undefined && v.to !== undefined && v.to <= v.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });

export const SeriesPoint = z.object({
  /** Start of the point's step, UTC ms. */
  t: z.number(),
  count: z.number().int(),
  lost: z.number().int(),
  lossPct: z.number(),
  /** Answers with a 5xx/6xx code: alive but flagged. */
  flagged: z.number().int(),
  minMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  medianMs: z.number().nullable(),
  meanMs: z.number().nullable(),
  /** SIP code of the step's last answer (raw data only; rollups keep the flagged count). */
  code: z.number().int().nullable(),
  /** Round-trip distribution for the smoke view: [histogram bucket, count] of non-empty buckets. */
  hist: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const Series = z.object({
  source: z.enum(['raw', 'minute', 'hour']),
  stepMs: z.number().int(),
  from: z.number(),
  to: z.number(),
  points: z.partialRecord(ProbeKindName, z.array(SeriesPoint)),
});
export type Series = z.infer<typeof Series>;

/** A probe's last outcome: rtt null is a loss. */
export const LastProbe = z.object({ rttMs: z.number().nullable(), code: z.number().int().nullable(), at: z.number() });
export type LastProbe = z.infer<typeof LastProbe>;

/** What the fleet row, its hover card and the overview wall show for one server. */
export const LatestSummary = z.object({
  serverId: Id,
  status: ServerStatus,
  /** Why it is degraded or down, in words ("SIP UDP: 3 lost in a row"); empty when fine. */
  reason: z.string(),
  sip: LastProbe.nullable(),
  icmp: LastProbe.nullable(),
  /** Loss over the recent window (the status rule's window); null before any probe. */
  sipLossPct: z.number().nullable(),
  icmpLossPct: z.number().nullable(),
});
export type LatestSummary = z.infer<typeof LatestSummary>;

/** Round trips of the last ~60 probes, oldest first; null marks a loss. */
export const Spark = z.array(z.number().nullable());

export const LatestEntry = LatestSummary.extend({ sparkSip: Spark, sparkIcmp: Spark });
export type LatestEntry = z.infer<typeof LatestEntry>;

export const IcmpBackendInfo = z.object({
  backend: z.enum(['fping', 'ping', 'none']),
  version: z.string().nullable(),
});
export type IcmpBackendInfo = z.infer<typeof IcmpBackendInfo>;

export const StatusEvent = z.object({
  id: z.number().int(),
  serverId: z.string(),
  alias: z.string(),
  ip: z.string(),
  at: z.number(),
  from: ServerStatus,
  to: ServerStatus,
  reason: z.string(),
  /** A change to down: "sip-down-host-up" (ICMP still answered) or "unreachable"; null otherwise. */
  reach: z.enum(['sip-down-host-up', 'unreachable']).nullable().default(null),
});
export type StatusEvent = z.infer<typeof StatusEvent>;

export const monitoringMethods = {
  'monitoring:series': query(SeriesInput, Series),
  'monitoring:latest': query(z.strictObject({ serverIds: z.array(Id).max(100_000).optional() }), z.array(LatestEntry)),
  /** The same without sparklines: what a first paint needs (a quarter of the bytes); sparklines follow per server. */
  'monitoring:latest-summaries': query(z.strictObject({ serverIds: z.array(Id).max(100_000).optional() }), z.array(LatestSummary)),
  // Detecting the ICMP tool runs it (`fping -v`) the first time, unless the host already probes.
  'monitoring:backend': withRole('operator', query(z.strictObject({}), IcmpBackendInfo, ['starts-process'])),
  'monitoring:events': query(
    z.strictObject({ serverId: Id.optional(), before: Time.optional(), limit: z.number().int().min(1).max(1_000).default(200) }),
    z.array(StatusEvent),
  ),
};

/** Pushed about once a second: servers whose values changed, with the round trips added to their sparklines. */
export const SamplesPush = z.object({
  updates: z.array(LatestSummary.extend({ addedSip: Spark, addedIcmp: Spark })),
});
export type SamplesPush = z.infer<typeof SamplesPush>;

export const StatusChangedPush = z.object({ events: z.array(StatusEvent) });
export type StatusChangedPush = z.infer<typeof StatusChangedPush>;
