import { z } from 'zod';
import type { EVENT_CHANNELS } from './channels';

// Events the host pushes to the UI. Same rule as calls: one schema per name, validated on send.

export const FleetEntity = z.enum(['zones', 'clusters', 'servers', 'rtp', 'settings', 'all']);
export type FleetEntity = z.infer<typeof FleetEntity>;

export const events = {
  'fleet:changed': z.object({ entity: FleetEntity }),
} as const satisfies Record<(typeof EVENT_CHANNELS)[number], z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
