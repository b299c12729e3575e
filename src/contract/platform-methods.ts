import { z } from 'zod';
import { Id, Name, ServerDraft, ServerType } from './fleet';
import { PendingResize } from './action-settings-methods';
import { command, query, withRole } from './spec';

// The platform's rules over the fleet: effective limits per cluster and unclustered server, the
// what-if calculator, capacity failover paths, NAT keepalive overhead, the config advisor, and
// deploying a new server (balance check, host key, Install recipe, then the fleet).

const Count = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

export const Allowance = z.strictObject({ cps: Count(100_000), channels: Count(1_000_000) });

const ServerRef = z.object({ id: z.string(), ip: z.string(), alias: z.string() });

const LimitGroup = z.object({
  kind: z.enum(['cluster', 'server']),
  id: z.string(),
  name: z.string(),
  servers: z.array(ServerRef),
  inService: z.number().int(),
  capacityCps: z.number(),
  capacityChannels: z.number(),
  effectiveCps: z.number(),
  effectiveChannels: z.number(),
  cpsCappedBy: z.enum(['allowance', 'capacity']),
  channelsCappedBy: z.enum(['allowance', 'capacity']),
});
export const LimitsReport = z.object({
  allowance: z.object({ cps: z.number(), channels: z.number() }),
  groups: z.array(LimitGroup),
  totalCps: z.number(),
  totalChannels: z.number(),
  cpsMultiplier: z.number(),
  channelsMultiplier: z.number(),
  exceedsAllowance: z.boolean(),
  /** Resizes not active yet: the groups above count their previous channels until `activeAt`. */
  pendingResizes: z.array(PendingResize).optional(),
});
export type LimitsReport = z.infer<typeof LimitsReport>;

const ClusterRef = z.union([z.strictObject({ id: Id }), z.strictObject({ newName: Name })]);
export const FleetChange = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('add'),
    alias: z.string().trim().max(64),
    type: ServerType,
    cps: Count(100_000),
    channels: Count(1_000_000),
    cluster: ClusterRef.nullable(),
  }),
  z.strictObject({ op: z.literal('remove'), serverId: Id }),
  z.strictObject({
    op: z.literal('cluster'),
    serverIds: z.array(Id).min(1, 'pick at least one server').max(10_000),
    cluster: ClusterRef.nullable(),
  }),
]);
export type FleetChange = z.infer<typeof FleetChange>;

const FailoverPath = z.object({
  server: ServerRef,
  clusterId: z.string().nullable(),
  chain: z.array(ServerRef),
  loops: z.boolean(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  /** The target's active channels as last read over SSH; null: unknown. */
  targetActive: z.number().int().nullable(),
  /** The target's calls per second as last measured (Kamailio's dialog counter between two polls); null: unknown. */
  targetCps: z.number().nullable(),
});
export type FailoverPathView = z.infer<typeof FailoverPath>;

export const KeepaliveReport = z.object({
  intervalSec: z.number(),
  servers: z.array(
    z.object({
      server: ServerRef,
      registrations: z.number(),
      /** 'read': counted on the server over SSH; 'typed': not read (yet, or it failed), the typed figure stands in. */
      source: z.enum(['read', 'typed']),
      /** Why the last read failed; null when it succeeded or none was made. */
      unread: z.object({ why: z.enum(['unreachable', 'no-ssh-access', 'unreadable']), message: z.string() }).nullable(),
      /** When the count was last read or tried; null: never since the console started. */
      readAt: z.number().int().nullable(),
      uacPing: z.boolean(),
      pinged: z.number(),
      pingsPerSecond: z.number(),
    }),
  ),
  groups: z.array(
    z.object({
      kind: z.enum(['cluster', 'array', 'single']),
      name: z.string(),
      servers: z.array(ServerRef),
      registrations: z.number(),
      pingsPerSecond: z.number(),
      asClusterPerSecond: z.number(),
    }),
  ),
  totalPingsPerSecond: z.number(),
  advice: z.array(z.object({ code: z.string(), severity: z.enum(['info', 'warning']), servers: z.array(ServerRef), message: z.string() })),
});
export type KeepaliveReport = z.infer<typeof KeepaliveReport>;

export const Severity = z.enum(['error', 'warning', 'info']);
export const Finding = z.object({
  rule: z.string(),
  severity: Severity,
  servers: z.array(ServerRef),
  message: z.string(),
  why: z.string(),
  fix: z.string(),
  field: z.string().nullable(),
});
export type Finding = z.infer<typeof Finding>;

export const BalanceCheck = z.object({
  ok: z.boolean(),
  availableCents: z.number().int(),
  requiredCents: z.number().int(),
  shortfallCents: z.number().int(),
  existingServers: z.number().int(),
  message: z.string(),
});
export type BalanceCheck = z.infer<typeof BalanceCheck>;

export const DeployState = z.enum(['connecting', 'installing', 'done', 'failed']);
export type DeployState = z.infer<typeof DeployState>;

export const DeployRun = z.object({
  deployId: z.string(),
  ip: z.string(),
  alias: z.string(),
  state: DeployState,
  output: z.string(),
  exitCode: z.number().int().nullable(),
  /** The new server, once the install succeeded and it joined the fleet. */
  serverId: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
});
export type DeployRun = z.infer<typeof DeployRun>;

/** Registration counts being read on the servers: how many have answered (or failed) so far. */
export const KeepaliveProgress = z.object({ done: z.number().int(), total: z.number().int() });

export const DeployUpdate = z.object({
  deployId: z.string(),
  state: DeployState,
  /** Output since the last update. */
  chunk: z.string(),
  serverId: z.string().nullable(),
  error: z.string().nullable(),
});

const ParamValue = z.string().max(4096);

export const platformMethods = {
  'platform:limits': query(Allowance, LimitsReport),
  /** Limits now and after hypothetical changes; nothing is changed. */
  'platform:calculate': query(
    z.strictObject({ allowance: Allowance, changes: z.array(FleetChange).max(1000) }),
    z.object({ before: LimitsReport, after: LimitsReport }),
  ),
  'platform:failover': query(z.strictObject({}), z.array(FailoverPath)),
  /**
   * Registrations as last counted on each server over SSH (the registrations recipe); the typed
   * figure stands in for a server not read yet or whose read failed, and the report says why.
   * Only `refresh: true` reads the servers again (the operator asked); otherwise no SSH at all.
   */
  'platform:keepalive': withRole(
    'operator',
    query(
      z.strictObject({
        refresh: z.boolean().default(false),
        fallbackRegistrations: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(10_000_000).default(0),
        intervalSec: z.number().int('must be a whole number of seconds').min(1, 'must be at least 1 s').max(3600).default(1),
      }),
      KeepaliveReport,
      ['connects', 'starts-process'],
      (input) => input.refresh,
    ),
  ),
  'platform:advise': query(z.strictObject({}), z.array(Finding)),
  'platform:deploy-check': query(z.strictObject({}), BalanceCheck),
  /**
   * Starts a deployment: refused at once (with the exact shortfall, or the field at fault) or
   * answered with its id; progress and output follow as `platform:deploy-update` events.
   */
  'platform:deploy': command(
    z.strictObject({
      draft: ServerDraft,
      /** For password authentication: kept in the secret store, never in the database. */
      password: z.string().min(1).max(4096).optional(),
      /** Parameters of the Install recipe (e.g. installScript). */
      installParams: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), ParamValue).default({}),
    }),
    z.object({ deployId: z.string(), balance: BalanceCheck }),
  ),
  'platform:deploy-status': query(z.strictObject({ deployId: z.string().min(1).max(64) }), DeployRun),
};
