import { z } from 'zod';
import { AppInfo, Settings, SettingsPatch } from './app';
import {
  Cluster,
  ClusterDraft,
  FleetFormat,
  Id,
  ImportSummary,
  RtpDraft,
  RtpServer,
  Server,
  ServerDraft,
  ServerRow,
  Zone,
  ZoneDraft,
} from './fleet';
import { command, query } from './spec';

export const None = z.strictObject({});
export const ById = z.strictObject({ id: Id });
export const Deleted = z.object({ deleted: z.number().int() });

export const appMethods = {
  'app:info': query(None, AppInfo),
  'settings:get': query(None, Settings),
  'settings:update': command(SettingsPatch, Settings),
};

export const fleetMethods = {
  'fleet:list-zones': query(None, z.array(Zone)),
  'fleet:create-zone': command(ZoneDraft, Zone),
  'fleet:update-zone': command(z.strictObject({ id: Id, draft: ZoneDraft }), Zone),
  'fleet:delete-zone': command(ById, Deleted),

  'fleet:list-clusters': query(None, z.array(Cluster)),
  'fleet:create-cluster': command(ClusterDraft, Cluster),
  'fleet:update-cluster': command(z.strictObject({ id: Id, draft: ClusterDraft }), Cluster),
  /** A cluster with members needs a decision: refuse (default), leave them unclustered, or move them. */
  'fleet:delete-cluster': command(
    z.strictObject({
      id: Id,
      members: z.enum(['refuse', 'unassign', 'move']).default('refuse'),
      moveTo: Id.optional(),
    }),
    z.object({ deleted: z.number().int(), membersMoved: z.number().int(), membersUnassigned: z.number().int() }),
  ),

  'fleet:list-servers': query(None, z.array(Server)),
  /** The table's view of every server, in address order: no configuration (see ServerRow). */
  'fleet:list-rows': query(None, z.array(ServerRow)),
  'fleet:get-server': query(ById, Server),
  'fleet:create-server': command(ServerDraft, Server),
  'fleet:update-server': command(z.strictObject({ id: Id, draft: ServerDraft }), Server),
  'fleet:delete-servers': command(z.strictObject({ ids: z.array(Id).min(1).max(10_000) }), Deleted),

  'fleet:list-rtp': query(None, z.array(RtpServer)),
  'fleet:create-rtp': command(RtpDraft, RtpServer),
  'fleet:update-rtp': command(z.strictObject({ id: Id, draft: RtpDraft }), RtpServer),
  'fleet:delete-rtp': command(ById, Deleted),

  /** All or nothing: one bad row imports nothing and the error names the row and field. */
  'fleet:import': command(z.strictObject({ format: FleetFormat, text: z.string().max(50_000_000) }), ImportSummary),
  'fleet:export': query(z.strictObject({ format: FleetFormat }), z.object({ text: z.string(), fileName: z.string() })),
  'fleet:load-demo': command(None, ImportSummary),
};
