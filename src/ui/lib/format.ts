// Times in the user's own zone, with the zone shown; relative times for glancing.
import { plainIpSortKey } from '../../domain/fleet/ip-sort-key';

const zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone;

const absolute = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** The local zone as people name it: `Europe/Paris (UTC+1)`. */
export function zoneLabel(at = Date.now()): string {
  const offset = -new Date(at).getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '−';
  const h = Math.floor(Math.abs(offset) / 60);
  const m = Math.abs(offset) % 60;
  return `${zoneName} (UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''})`;
}

export function formatDateTime(ms: number): string {
  return absolute.format(ms);
}

export function formatDate(ms: number): string {
  return dateOnly.format(ms);
}

/**
 * The "now" a relative time is measured from. The console's clock ticks every 30 s, so a stamp made
 * a moment ago (a snapshot just saved) can lie ahead of it and read "in <1 min": read the real
 * time instead, never earlier than the tick. A pinned clock (a snapshot on show: "now" is when it
 * was taken) is kept as it is.
 */
export function relativeNow(coarse: number, real: number, pinned: number | null): number {
  return pinned ?? Math.max(coarse, real);
}

/** How far a host's clock may run ahead of this browser's before a stamp reads as the future. */
const CLOCK_SKEW_MS = 5_000;

/** "in 3 d", "5 min ago": coarse on purpose, the absolute time is on hover. */
export function formatRelative(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  let text: string;
  // A few seconds ahead is the host's clock running ahead of this one, not the future.
  if (abs < minute) return diff > CLOCK_SKEW_MS ? 'in <1 min' : 'just now';
  if (abs < hour) text = `${Math.round(abs / minute)} min`;
  else if (abs < 2 * day) text = `${Math.round(abs / hour)} h`;
  else if (abs < 120 * day) text = `${Math.round(abs / day)} d`;
  else text = `${Math.round(abs / (30 * day))} mo`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** `YYYY-MM-DDTHH:mm` in local time, for `<input type="datetime-local">`. */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(text: string): number | null {
  if (text.trim() === '') return null;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? null : ms;
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function formatInt(n: number): string {
  return integer.format(n);
}

/**
 * Sort key of an address: numeric within a family, IPv4 first, the order the host and the CLI
 * list servers in (domain/fleet/ip-sort-key.ts; stored addresses are canonical, anything else last).
 */
export function ipSortKey(ip: string): string {
  return plainIpSortKey(ip) ?? `2${ip}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}
