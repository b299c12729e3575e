import { z } from 'zod';

// The parsed results of ping and mtr as they cross the contract: the same shapes the domain's
// parsers produce for a live run and for pasted text, so one table and one chart show both.

export const StoppedAt = z.object({ line: z.number().int(), reason: z.string() });

export const PingReply = z.object({
  seq: z.number().int().nullable(),
  ttl: z.number().int().nullable(),
  rttMs: z.number().nullable(),
  from: z.string().optional(),
  duplicate: z.boolean(),
  /** 'timeout', 'unreachable: …' */
  error: z.string().optional(),
  timestamp: z.number().optional(),
});
export type PingReply = z.infer<typeof PingReply>;

export const PingSummary = z.object({
  sent: z.number().int(),
  received: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  /** Computed from the counts. */
  lossPct: z.number(),
  /** What the tool printed, kept when it differs from lossPct. */
  printedLossPct: z.number().optional(),
  minMs: z.number().nullable(),
  avgMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  stddevMs: z.number().nullable(),
});
export type PingSummary = z.infer<typeof PingSummary>;

export const PingResult = z.object({
  target: z.string().optional(),
  address: z.string().optional(),
  replies: z.array(PingReply),
  summary: PingSummary,
  errors: z.array(z.string()),
  stoppedAt: StoppedAt.optional(),
});
export type PingResult = z.infer<typeof PingResult>;

export const MtrHop = z.object({
  hop: z.number().int(),
  /** null: an unknown (`???`) hop, kept in its place. */
  host: z.string().nullable(),
  hosts: z.array(z.string()),
  lossPct: z.number(),
  sent: z.number().int(),
  lastMs: z.number().nullable(),
  avgMs: z.number().nullable(),
  bestMs: z.number().nullable(),
  worstMs: z.number().nullable(),
  stddevMs: z.number().nullable(),
});
export type MtrHop = z.infer<typeof MtrHop>;

export const MtrResult = z.object({
  target: z.string().optional(),
  hops: z.array(MtrHop),
  stoppedAt: StoppedAt.optional(),
});
export type MtrResult = z.infer<typeof MtrResult>;

export const SipInspection = z.object({
  kind: z.enum(['request', 'response', 'unknown']),
  method: z.string().optional(),
  uri: z.string().optional(),
  status: z.number().int().optional(),
  reason: z.string().optional(),
  version: z.string(),
  headers: z.array(z.object({ name: z.string(), value: z.string(), rawName: z.string().optional() })),
  body: z.string(),
  problems: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string() })),
  valid: z.boolean(),
});
export type SipInspection = z.infer<typeof SipInspection>;
