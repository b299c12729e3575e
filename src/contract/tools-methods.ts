import { z } from 'zod';
import { command, query, withRole } from './spec';
import { MtrHop, MtrResult, PingReply, PingResult, PingSummary, SipInspection } from './tools-results';

export * from './tools-results';

// Ping and MTR runs (live, from this workstation or a fleet server), their history, and text
// pasted from elsewhere read by the same parsers. Targets and parameters are checked by the tools
// service, which says exactly what is wrong, before any process or SSH channel is opened.

export const ToolName = z.enum(['ping', 'mtr']);
export type ToolName = z.infer<typeof ToolName>;
/** What a history entry holds: a ping or mtr run, or a SIP message kept from a paste. */
export const HistoryKind = z.enum(['ping', 'mtr', 'sip']);
export type HistoryKind = z.infer<typeof HistoryKind>;
export const ToolRunStatus = z.enum(['running', 'done', 'failed', 'cancelled']);
export type ToolRunStatus = z.infer<typeof ToolRunStatus>;

/** 'local' (this workstation) or the id of a fleet server to run from over SSH. */
export const ToolSource = z.string().trim().min(1, 'Choose where to run from.').max(64);
const RunId = z.string().min(1).max(64);
/** Longer than any host name; the service refuses past 253 with a message naming the value. */
const Target = z.string().max(2000);

/** What a run was asked for, or for a pasted text how it was read (flavor, language, encoding). */
export const ToolRunParams = z.record(z.string(), z.union([z.number(), z.string()]));

/** One line of the history: enough to list and pick runs without their whole output. */
export const ToolRunBrief = z.object({
  id: RunId,
  tool: HistoryKind,
  /** 'local', 'pasted' or a server id. */
  source: z.string(),
  /** 'this workstation', 'pasted', or the server's alias and IP. */
  sourceLabel: z.string(),
  target: z.string(),
  params: ToolRunParams,
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  status: ToolRunStatus,
  error: z.string().nullable(),
  headline: z.object({
    sent: z.number().nullable(),
    received: z.number().nullable(),
    lossPct: z.number().nullable(),
    avgMs: z.number().nullable(),
    hops: z.number().nullable(),
  }),
});
export type ToolRunBrief = z.infer<typeof ToolRunBrief>;

export const ToolRun = ToolRunBrief.extend({
  rawOutput: z.string(),
  ping: PingResult.nullable(),
  mtr: MtrResult.nullable(),
  /** A pasted SIP message: its inspection (the original text is `rawOutput`). */
  sip: SipInspection.nullable(),
});
export type ToolRun = z.infer<typeof ToolRun>;

export const ExportFormat = z.enum(['json', 'csv', 'text']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Pasted text, or dropped file bytes (base64) the host decodes from a legacy code page if need be. */
export const PastedInput = z.strictObject({
  text: z.string().max(16_000_000).optional(),
  base64: z.string().max(22_000_000).optional(),
});

export const PastedParse = z.object({
  kind: z.enum(['ping', 'mtr', 'sip', 'unknown']),
  /** How the bytes were read ('utf-8', 'cp850', …). */
  encoding: z.string(),
  /** The decoded text, for showing what was dropped. */
  text: z.string(),
  flavor: z.string().optional(),
  language: z.string().optional(),
  /** Why the text is none of the known kinds. */
  reason: z.string().optional(),
  ping: PingResult.optional(),
  mtr: MtrResult.optional(),
  sip: SipInspection.optional(),
});
export type PastedParse = z.infer<typeof PastedParse>;

export const ToolRunUpdate = z.object({
  runId: RunId,
  tool: ToolName,
  status: ToolRunStatus,
  /** Ping: the replies that arrived since the previous update, in order. */
  replies: z.array(PingReply).optional(),
  /** Ping: the running summary over every reply so far. */
  summary: PingSummary.optional(),
  /** MTR: the whole hop table as it stands. */
  hops: z.array(MtrHop).optional(),
  error: z.string().nullable().optional(),
  endedAt: z.number().nullable().optional(),
});
export type ToolRunUpdate = z.infer<typeof ToolRunUpdate>;

const Start = <P extends z.ZodType>(params: P) => z.strictObject({ source: ToolSource, target: Target, params: params.optional() });

export const toolsMethods = {
  'tools:start-ping': withRole(
    'operator',
    command(Start(z.strictObject({ count: z.number().optional(), intervalS: z.number().optional() })), ToolRunBrief),
  ),
  'tools:start-mtr': withRole(
    'operator',
    command(Start(z.strictObject({ count: z.number().optional(), maxHops: z.number().optional() })), ToolRunBrief),
  ),
  /** `cancelled` is false when the run had already finished. */
  'tools:cancel': withRole('operator', command(z.strictObject({ id: RunId }), z.object({ cancelled: z.boolean() }))),
  'tools:list-runs': query(z.strictObject({ limit: z.int().min(1).max(1000).optional() }), z.array(ToolRunBrief)),
  'tools:get-run': query(z.strictObject({ id: RunId }), ToolRun),
  'tools:delete-run': withRole('operator', command(z.strictObject({ id: RunId }), z.object({ deleted: z.number().int() }))),
  'tools:export-run': query(
    z.strictObject({ id: RunId, format: ExportFormat }),
    z.object({ text: z.string(), fileName: z.string(), mime: z.string() }),
  ),
  'tools:parse-pasted': query(PastedInput, PastedParse),
  /** Keeps a pasted ping, mtr or SIP message in the history (source 'pasted'), the original text as its raw output. */
  'tools:save-pasted': withRole('operator', command(PastedInput.extend({ target: Target.optional() }), ToolRunBrief)),
};
