// When the host syncs and applies APIBAN on its own. Everything is derived from what is stored
// (the last sync, each server's last apply, when the list last changed), so a restart, a manual
// sync or an apply from the console all fit the same plan without a timer's memory.

export const DEFAULT_INTERVAL_SEC = 3_600;
export const MIN_INTERVAL_SEC = 60;
export const MAX_INTERVAL_SEC = 7 * 86_400;

export interface ScheduleSettings {
  enabled: boolean;
  intervalSec: number;
}

/** When the next scheduled sync is due; null when the schedule is off or no key is set. */
export function nextSyncAt(settings: ScheduleSettings, keySet: boolean, lastSyncAt: number | null, now: number): number | null {
  if (!settings.enabled || !keySet) return null;
  if (lastSyncAt === null) return now;
  return lastSyncAt + settings.intervalSec * 1000;
}

export interface LastApply {
  method: string;
  ok: boolean;
  appliedAt: number;
}

export type ApplyReason = 'never applied' | 'method changed' | 'list changed' | 'entries would time out' | 'retry after a failure';

/**
 * Why a scheduled server needs the list now, or null. The entries on a server time out
 * `entryTimeoutSec` after its last apply; it is refreshed at half that, so one failed attempt (and
 * the retry a sync interval later) still lands well before anything expires.
 */
export function applyReason(input: {
  method: string;
  last: LastApply | null;
  listChangedAt: number | null;
  now: number;
  entryTimeoutSec: number;
  retryAfterMs: number;
}): ApplyReason | null {
  const { last, now } = input;
  if (last === null) return 'never applied';
  if (!last.ok) return now - last.appliedAt >= input.retryAfterMs ? 'retry after a failure' : null;
  if (last.method !== input.method) return 'method changed';
  if (input.listChangedAt !== null && last.appliedAt < input.listChangedAt) return 'list changed';
  if (now - last.appliedAt >= (input.entryTimeoutSec * 1000) / 2) return 'entries would time out';
  return null;
}

/** When `applyReason` would next say yes for this server, for the status and the timer. */
export function nextApplyAt(input: { last: LastApply | null; now: number; entryTimeoutSec: number; retryAfterMs: number }): number {
  const { last, now } = input;
  if (last === null) return now;
  if (!last.ok) return last.appliedAt + input.retryAfterMs;
  return last.appliedAt + (input.entryTimeoutSec * 1000) / 2;
}

/** The set's entry timeout a recipe gives (its `timeout` default, in seconds), 7 days when absent or unreadable. */
export function entryTimeoutOf(defaults: Readonly<Record<string, string>>): number {
  const value = Number(defaults['timeout']);
  return Number.isInteger(value) && value > 0 ? value : 604_800;
}
