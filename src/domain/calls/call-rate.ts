// Calls per second from Kamailio's dialog counter: `dialog:processed_dialogs` counts every dialog
// the server has tracked since it started, so the rate is its growth between two load polls over
// the time between them. The time is the server's own monotonic clock (/proc/uptime, read just
// before the counter), so a slow SSH round trip does not bend the rate. A restarted Kamailio
// (its uptime went back) or a rebooted server (its clock went back) starts a new count: no rate
// for that poll, never a negative or inflated one.

export interface CallsReading {
  /** Confirmed calls (`dialog:active_dialogs`). */
  active: number;
  /** Calls ringing, not yet answered (`dialog:early_dialogs`). */
  early: number;
  /** Dialogs tracked since Kamailio started (`dialog:processed_dialogs`). */
  processed: number;
  /** The server's /proc/uptime when the counters were read, in seconds. */
  clockSec: number;
  /** Kamailio's own uptime (`core.uptime`), when it could be read. */
  kamailioUptimeSec: number | null;
}

/** Polls further apart than this say little about the rate now. */
export const MAX_RATE_SPAN_SEC = 15 * 60;
/** Shorter spans are too noisy to call a rate. */
export const MIN_RATE_SPAN_SEC = 1;
/** Clock skew allowed between the two uptimes before calling it a restart. */
const RESTART_SLACK_SEC = 5;

/** Channels a server has in use: its calls, answered or ringing. */
export const channelsInUse = (r: Pick<CallsReading, 'active' | 'early'>): number => r.active + r.early;

/** What the rate needs of a reading. */
export type CounterReading = Pick<CallsReading, 'processed' | 'clockSec' | 'kamailioUptimeSec'>;

/** Calls per second between two readings (rounded to 0.01), or null when the two cannot be compared. */
export function callRate(previous: CounterReading | null, now: CounterReading): number | null {
  if (previous === null) return null;
  const span = now.clockSec - previous.clockSec;
  if (!(span >= MIN_RATE_SPAN_SEC) || span > MAX_RATE_SPAN_SEC) return null;
  if (
    now.kamailioUptimeSec !== null &&
    previous.kamailioUptimeSec !== null &&
    now.kamailioUptimeSec + RESTART_SLACK_SEC < previous.kamailioUptimeSec + span
  )
    return null;
  const grown = now.processed - previous.processed;
  if (grown < 0) return null;
  return Math.round((grown / span) * 100) / 100;
}
