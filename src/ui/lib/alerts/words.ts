// Alerts in words for every screen that shows them: severities and states with their shapes, a
// hold as a sentence ("In maintenance until 14:32 (Restart Server by alice)"), end times short
// enough for a banner. Pure, so the wording is tested once and reads the same everywhere.
import type { AlertState, Hold, HoldKind, ScopeLevel, Severity } from '../../../contract/alerts';
import type { DeliveryState } from '../../../contract/alerts-delivery';

/** Word and shape of a severity: never colour alone. */
export const SEVERITY_LOOK: Readonly<Record<Severity, { label: string; shape: string }>> = {
  critical: { label: 'Critical', shape: '✕' },
  warning: { label: 'Warning', shape: '▲' },
  info: { label: 'Info', shape: 'ℹ' },
};

export const STATE_LOOK: Readonly<Record<AlertState, { label: string; shape: string }>> = {
  firing: { label: 'Firing', shape: '●' },
  acknowledged: { label: 'Acknowledged', shape: '◐' },
  resolved: { label: 'Resolved', shape: '✓' },
};

export const HOLD_WORD: Readonly<Record<HoldKind, string>> = { maintenance: 'Maintenance', silence: 'Silenced' };

export const DELIVERY_LOOK: Readonly<Record<DeliveryState, { label: string; shape: string }>> = {
  pending: { label: 'Will retry', shape: '◌' },
  sending: { label: 'Sending', shape: '◐' },
  sent: { label: 'Sent', shape: '●' },
  failed: { label: 'Failed', shape: '✕' },
  skipped: { label: 'Skipped', shape: '○' },
};

export const SCOPE_WORD: Readonly<Record<ScopeLevel, string>> = {
  fleet: 'Whole fleet',
  zone: 'Zone',
  cluster: 'Cluster',
  server: 'Server',
};

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** "14:32 CET" today, "Tue 3 Mar, 14:32 CET" another day: short enough for a banner, local time with its zone. */
export function formatUntil(at: number, now: number): string {
  return sameDay(at, now) ? timeOnly.format(at) : dayAndTime.format(at);
}

/** The end of a hold as a phrase: "until 14:32", or "until the run ends" while its action runs. */
export function holdUntil(hold: Pick<Hold, 'until'>, now: number): string {
  return hold.until === null ? 'until the run ends' : `until ${formatUntil(hold.until, now)}`;
}

/**
 * The whole hold in one sentence, as the server page's banner says it:
 * "In maintenance until 14:32 (Restart Server by alice)", "Silenced until 16:00: carrier work (by bob)".
 */
export function holdSentence(hold: Hold, now: number): string {
  if (hold.kind === 'maintenance') return `In maintenance ${holdUntil(hold, now)} (${hold.reason} by ${hold.by})`;
  return `Silenced ${holdUntil(hold, now)}: ${hold.reason} (by ${hold.by})`;
}

/** A hold whose end has passed is over, even before the host says so (its next change event). */
export function holdActive(hold: Hold | undefined, now: number): hold is Hold {
  return hold !== undefined && (hold.until === null || hold.until > now);
}

/** Text typed as a list of addresses: commas, semicolons, spaces or lines between them. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
