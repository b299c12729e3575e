// Times on the command line: what people type after --from, --to, --until and --for, and how
// times are printed back (local time with its offset, so a pasted line says when it was).
import { parseDuration } from '../domain/alerts/duration';
import { invalid } from '../domain/errors';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const TIME_HINT =
  'use ISO 8601 (2026-05-04T14:30 in local time, 2026-05-04T12:30Z, 2026-05-04T14:30+02:00) or a time relative to now (-1h, -30m, +2h, now)';

/**
 * A time as UTC ms: ISO 8601 (local time when no zone is given: a date alone is local midnight),
 * `now`, or `-1h`/`+30m` from `now`. Refused naming the flag; a date like Feb 31 is refused, not
 * rolled over into March as Date.parse would.
 */
export function parseTimeArg(flag: string, text: string, now: number): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return now;
  const relative = /^([-+])(.+)$/.exec(trimmed);
  if (relative) {
    const ms = parseDuration(relative[2] ?? '');
    if (ms === null) throw invalid(flag, `${flag}: "${text}" is not a time: ${TIME_HINT}.`);
    return relative[1] === '-' ? now - ms : now + ms;
  }
  const at = parseIso(trimmed);
  if (at === null) throw invalid(flag, `${flag}: "${text}" is not a time: ${TIME_HINT}.`);
  return at;
}

function parseIso(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  const zone = m[8];
  if (zone === undefined) return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  if (zone.toUpperCase() === 'Z') return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  const oh = Number(offset?.[2] ?? 0);
  const om = Number(offset?.[3] ?? 0);
  if (!offset || oh > 23 || om > 59) return null;
  const sign = offset[1] === '-' ? -1 : 1;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - sign * (oh * 60 + om) * 60_000;
}

/** `--for`: a duration between 1s and a year, refused naming the flag. */
export function parseForArg(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw invalid('--for', `--for: "${text}" is not a duration between 1s and a year: write it like 30m, 1h, 2d or 1h30m.`);
  return ms;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The local offset at that time: "UTC", "UTC+2", "UTC+5:30", "UTC-3". */
function offsetLabel(at: number): string {
  const offset = -new Date(at).getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${Math.floor(abs / 60)}${abs % 60 === 0 ? '' : `:${pad(abs % 60)}`}`;
}

const dateTime = (d: Date, sep: string): string =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}${sep}${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

/** "2026-05-04 14:30:05 UTC+2": for tables and messages; the offset is per time, so DST shows. */
export function localTime(at: number): string {
  return `${dateTime(new Date(at), ' ')} ${offsetLabel(at)}`;
}

/** The zone as people name it, for a line that stands alone: "Europe/Paris". */
export function zoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "2026-05-04T14:30:05.250+02:00": local time that a spreadsheet or a script still reads exactly. */
export function localIso(at: number): string {
  const date = new Date(at);
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${dateTime(date, 'T')}.${pad(date.getMilliseconds(), 3)}${offset >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * `--from -1h` as `--from=-1h`: node's parseArgs takes a value starting with "-" for a flag and
 * refuses it, yet "-1h" is how people write "an hour ago". Only a dash followed by a digit is
 * joined, so `--from --json` is still refused as a missing value.
 */
export function joinRelativeTimes(args: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (flags.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}
