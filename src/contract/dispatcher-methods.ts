import { z } from 'zod';
import { Id, ServerStatus, ServerType } from './fleet';
import { command, query, withRole } from './spec';

// A dispatcher's own view of its destinations (Kamailio's `dispatcher.list`, read over SSH with
// the recipe book's `dispatcher` command), each destination matched to the fleet server at its
// address and port and shown beside Switchyard's own probes of that server.

export const DestinationState = z.enum(['active', 'inactive', 'disabled', 'trying']);

export const DispatcherDestination = z.object({
  setId: z.number().int(),
  uri: z.string(),
  /** As Kamailio printed them: the state letter, then P (probing) or X (not probing). */
  flags: z.string(),
  /** Null when Kamailio printed a state letter this build does not know. */
  state: DestinationState.nullable(),
  probing: z.boolean(),
  priority: z.number().int().nullable(),
  attrs: z.string().nullable(),
  weight: z.number().int().nullable(),
  /** Kept by Kamailio only with `ds_ping_latency_stats` on; keepalive round trips in ms. */
  latency: z
    .object({
      avgMs: z.number().nullable(),
      stdMs: z.number().nullable(),
      estMs: z.number().nullable(),
      maxMs: z.number().nullable(),
      timeouts: z.number().int().nullable(),
    })
    .nullable(),
  target: z
    .object({ host: z.string(), port: z.number().int().nullable(), transport: z.string(), effectivePort: z.number().int() })
    .nullable(),
  /** The fleet server at this address and port; null when none is. */
  match: z.object({ id: Id, ip: z.string(), alias: z.string(), type: ServerType }).nullable(),
  /** Why a destination at a fleet server's address did not match it. */
  matchHint: z.string().nullable(),
  /** Switchyard's own probes of the matched server, now. */
  ours: z
    .object({
      status: ServerStatus,
      reason: z.string(),
      sipRttMs: z.number().nullable(),
      sipCode: z.number().int().nullable(),
      sipLossPct: z.number().nullable(),
    })
    .nullable(),
  disagreement: z.enum(['inactive-but-answering', 'active-but-down']).nullable(),
});
export type DispatcherDestination = z.infer<typeof DispatcherDestination>;

export const DispatcherView = z.object({
  serverId: Id,
  /** When the destinations were read; null before the first good read. */
  readAt: z.number().int().nullable(),
  /** The command line run, for the operator to repeat by hand. */
  command: z.string(),
  destinations: z.array(DispatcherDestination),
  /** The last read failed (the destinations, if any, are from the read before): why, naming the server. */
  error: z.string().nullable(),
  errorAt: z.number().int().nullable(),
});
export type DispatcherView = z.infer<typeof DispatcherView>;

export const dispatcherMethods = {
  /** The last read, matched against the fleet and the probes now; nothing is read from the server. */
  'dispatcher:get-view': query(z.strictObject({ serverId: Id }), DispatcherView),
  /** Reads the dispatcher's destinations over SSH now, keeps them, and answers as get-view. */
  'dispatcher:read-view': withRole('operator', command(z.strictObject({ serverId: Id }), DispatcherView)),
};
