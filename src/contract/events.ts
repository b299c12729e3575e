import { z } from 'zod';
import { RunProgress, RunState, RunStatus } from './actions-methods';
import { ApibanScheduleRun, ApibanSyncProgress } from './apiban-methods';
import { AppMode } from './app';
import type { EVENT_CHANNELS } from './channels';
import { SnapshotProgress } from './snapshots-methods';
import { HostKeyPrompt, HostKeySettled } from './ssh-methods';
import { ToolRunUpdate } from './tools-methods';
import { SamplesPush, StatusChangedPush } from './monitoring-methods';
import { DeployUpdate, KeepaliveProgress } from './platform-methods';
import { AlertNotifyPush, AlertsChangedPush } from './alerts-methods';
import { UsagePush } from './load-methods';
import { AcmeProgress, DeployProgress } from './cert-deploy-methods';
import { MediaProgress } from './media-methods';
import { VantageStatusPush } from './vantage-methods';
import { AuditEntry } from './audit-methods';

// Events the host pushes to the UI. Same rule as calls: one schema per name, validated on send.

export const FleetEntity = z.enum(['zones', 'clusters', 'servers', 'rtp', 'settings', 'all']);
export type FleetEntity = z.infer<typeof FleetEntity>;

export const events = {
  'fleet:changed': z.object({ entity: FleetEntity }),
  /** The console switched between the live fleet and a snapshot: read app:info and everything again. */
  'app:changed': z.object({ mode: AppMode }),
  'snapshots:progress': SnapshotProgress,
  'tools:run-update': ToolRunUpdate,
  'ssh:host-key-prompt': HostKeyPrompt,
  'ssh:host-key-settled': HostKeySettled,
  /** A running action, throttled: servers whose state changed and the output since the last update. */
  'actions:run-update': z.object({
    runId: z.string(),
    status: RunStatus,
    progress: RunProgress,
    endedAt: z.number().int().nullable(),
    servers: z.array(
      z.object({ position: z.number().int(), state: RunState, exitCode: z.number().int().nullable(), error: z.string().nullable() }),
    ),
    output: z.array(z.object({ position: z.number().int(), chunk: z.string() })),
  }),
  /** About once a second: servers whose latest values changed since the last push. */
  'monitoring:samples': SamplesPush,
  /** Status changes (online, degraded, down, …) since the last push, as logged. */
  'monitoring:status-changed': StatusChangedPush,
  /** A deployment moved on: its state and the install output since the last update. */
  'platform:deploy-update': DeployUpdate,
  /** Registration counts for the keepalive overhead being read, after the operator asked. */
  'platform:keepalive-progress': KeepaliveProgress,
  /** Certificates imported or deleted, or a server's assignments changed. */
  'certs:changed': z.object({ serverId: z.string().nullable() }),
  /** Installing or checking a server's certificates moved on a step. */
  'certs:deploy-progress': DeployProgress,
  /** An ACME request or renewal moved on a step. */
  'acme:progress': AcmeProgress,
  'apiban:sync-progress': ApibanSyncProgress,
  /** The key, the list or what was applied to servers changed. */
  'apiban:changed': z.object({}),
  /** The schedule's own sync or apply ended (a failure also raises the APIBAN alert). */
  'apiban:schedule-run': ApibanScheduleRun,
  /** Alerts, holds, rules, channels or routes changed; the counts are for the top bar. */
  'alerts:changed': AlertsChangedPush,
  /** The desktop channel: show this notification (clicking it opens the server). */
  'alerts:notify': AlertNotifyPush,
  /** The shell asks the console to show a screen (a desktop notification was clicked). */
  /** Servers whose live calls or call rate changed at a load poll (at most about once a second). */
  'load:usage': UsagePush,
  /** A Media path measurement moved on: one RTP server's ping to one end finished. */
  'media:progress': MediaProgress,
  /** A vantage server's stream changed state (connecting, streaming, retrying with the reason). */
  'vantage:stream-changed': VantageStatusPush,
  /** A line was added to the audit log (who did what); the Audit screen shows it at once. */
  'audit:recorded': AuditEntry,
  'app:open': z.object({
    hash: z
      .string()
      .regex(/^#\/[A-Za-z0-9/_-]*$/, 'must be a console address such as #/alerts')
      .max(200),
  }),
} as const satisfies Record<(typeof EVENT_CHANNELS)[number], z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
