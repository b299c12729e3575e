import { z } from 'zod';
import { ActionName } from './action-names';
import { Id } from './fleet';
import { command, query, withRole } from './spec';

// Server actions over SSH (and out of band), their audit log and the load read from each server.
// Action names are one list (action-names.ts); the recipe book's ActionKind derives from it.

export { ACTION_LABELS, ACTION_MENU, ACTION_NAMES, ActionName } from './action-names';
/** What the audit log records: the actions, and deployments of new servers (the Install recipe run by the deploy wizard). */
export const LoggedAction = z.enum([...ActionName.options, 'deploy']);
export type LoggedAction = z.infer<typeof LoggedAction>;

/** Recipe parameters typed by the operator (`channels` for Resize Capacity); values are literal text. */
export const ActionParams = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a parameter name'), z.string().max(4096))
  .default({});

const Selection = z.strictObject({
  action: ActionName,
  serverIds: z.array(Id).min(1, 'select at least one server').max(5000),
  params: ActionParams,
});

export const ActionPlanServer = z.object({
  id: Id,
  alias: z.string(),
  ip: z.string(),
  /** Exactly what runs, as the actions log records it. */
  command: z.string(),
  /** The same, shortened for reading (a recipe's inline script as its name and arguments). */
  display: z.string().optional(),
});

export const ActionPlan = z.object({
  action: ActionName,
  label: z.string(),
  /** What happens to live calls, in the reference's words. */
  impact: z.string(),
  servers: z.array(ActionPlanServer),
  /** `typed`: the operator types the number of servers back before the run starts. */
  confirm: z.enum(['simple', 'typed']),
  /** What must be typed when `confirm` is `typed`. */
  confirmText: z.string().nullable(),
  /** What `confirmText` is, for the label ("the number of servers", "the new channel count"). */
  confirmHint: z.string().nullable().default(null),
  warnings: z.array(z.string()),
  timeoutSec: z.number().int(),
  /** How it differs from the actions that end in a similar state (reboot, OS shutdown, hard reset). */
  differs: z.string().nullable().default(null),
  /** `ssh`: the command runs on each server; `out-of-band`: from this workstation to each server's power controller. */
  runsOn: z.enum(['ssh', 'out-of-band']).default('ssh'),
});
export type ActionPlan = z.infer<typeof ActionPlan>;

export const RunState = z.enum(['queued', 'running', 'done', 'failed', 'skipped', 'cancelled']);
export type RunState = z.infer<typeof RunState>;
export const RunStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;
export const RunOrigin = z.enum(['web', 'desktop', 'cli', 'automatic']);
export type RunOrigin = z.infer<typeof RunOrigin>;

export const RunProgress = z.object({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
  running: z.number().int(),
  remaining: z.number().int(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const RunOptions = z.strictObject({
  canary: z.boolean().default(true),
  stopOnFailure: z.boolean().default(true),
  concurrency: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(10),
});

export const ActionRunSummary = z.object({
  id: Id,
  action: LoggedAction,
  label: z.string(),
  params: z.record(z.string(), z.string()),
  options: z.object({ canary: z.boolean(), stopOnFailure: z.boolean(), concurrency: z.number().int() }),
  user: z.string(),
  origin: RunOrigin,
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  status: RunStatus,
  stoppedBy: z.string().nullable(),
  /** Who started it: the signed-in account ('local user' at a single-seat console, where `user` names the OS user). */
  account: z.string(),
  /** The address the run was asked from, when over the network. */
  address: z.string().nullable(),
  progress: RunProgress,
  /** Aliases of the servers, in run order (the first is the canary). */
  servers: z.array(z.object({ id: z.string(), alias: z.string(), ip: z.string(), state: RunState })),
});
export type ActionRunSummary = z.infer<typeof ActionRunSummary>;

export const ActionResult = z.object({
  position: z.number().int(),
  serverId: z.string(),
  alias: z.string(),
  ip: z.string(),
  command: z.string(),
  state: RunState,
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  /** Whole in the store; cut to the last `outputLimit` characters when asked. */
  output: z.string(),
  outputLength: z.number().int(),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const ActionRunDetail = ActionRunSummary.extend({ results: z.array(ActionResult) });
export type ActionRunDetail = z.infer<typeof ActionRunDetail>;

export const RunFilter = z.strictObject({
  text: z.string().trim().max(200).optional(),
  action: LoggedAction.optional(),
  serverId: Id.optional(),
  status: RunStatus.optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type RunFilter = z.infer<typeof RunFilter>;

export const LoadSample = z.object({
  at: z.number().int(),
  load: z.tuple([z.number(), z.number(), z.number()]),
  memTotalKb: z.number().int(),
  memAvailableKb: z.number().int().nullable(),
  uptimeSec: z.number(),
  /** Channels in use: calls answered plus ringing, from Kamailio's dialog statistics. */
  channels: z.number().int().nullable(),
  pendingUpdates: z.number().int().nullable(),
  /** The ringing part of `channels`. */
  ringing: z.number().int().nullable(),
  /** Calls per second since the reading before. */
  cps: z.number().nullable(),
  /** Why calls were not read at this poll; null when they were. */
  callsError: z.string().nullable(),
});
export type LoadSample = z.infer<typeof LoadSample>;

export const actionsMethods = {
  /** What a run would do, without doing it: refusals (guards, a missing command) come back as errors. */
  'actions:plan': query(Selection, ActionPlan),
  'actions:run': withRole(
    'operator',
    command(
      Selection.extend({
        options: RunOptions.default({ canary: true, stopOnFailure: true, concurrency: 10 }),
        /** The number of servers typed back, when the plan asks for it. */
        confirmation: z.string().max(20).optional(),
      }),
      ActionRunSummary,
    ),
  ),
  'actions:cancel': withRole('operator', command(z.strictObject({ runId: Id }), z.object({ cancelled: z.boolean() }))),
  'actions:list-runs': query(RunFilter, z.object({ runs: z.array(ActionRunSummary), total: z.number().int() })),
  'actions:get-run': query(z.strictObject({ id: Id, outputLimit: z.number().int().min(0).max(50_000_000).optional() }), ActionRunDetail),
  'actions:export-runs': query(
    z.strictObject({ format: z.enum(['json', 'csv']), filter: RunFilter.default({ limit: 1000 }) }),
    z.object({ text: z.string(), fileName: z.string() }),
  ),
  'actions:server-load': query(
    z.strictObject({ serverId: Id, from: z.number().int().optional(), to: z.number().int().optional() }),
    z.object({ samples: z.array(LoadSample), error: z.string().nullable() }),
  ),
};
