// `switchyard alerts` and `switchyard silence`: the alert list and silences as the console has
// them. Every call goes through the host's dispatch, so the contract's validation and refusals
// (read-only, a silence already ended) are the console's own; only their wording names flags.
import { parseArgs } from 'node:util';
import type { Alert, Hold, Silence } from '../contract/alerts';
import type { Cluster, Server, Zone } from '../contract/fleet';
import type { CallError } from '../contract/result';
import { formatDuration } from '../domain/alerts/duration';
import { DomainError, invalid } from '../domain/errors';
import type { HostApp } from '../host/app';
import { EXIT_OK, UsageError, type Io } from './io';
import { findServer } from './remote-source';
import { joinRelativeTimes, localTime, parseForArg, parseTimeArg, zoneName } from './time-args';
import { usageOf } from './command-help';
import { fieldLabel } from '../domain/field-label';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const SILENCE_USAGE = usageOf('silence');

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const ALERTS_USAGE = usageOf('alerts');

/** What a contract field is called on this command line, for refusals. */
export type FlagNames = Readonly<Record<string, string>>;

/** A refused call as main() reports it: the flag named, exit 2 unless Switchyard itself failed. */
export function refusalOf(error: CallError, flags: FlagNames): Error {
  if (error.code === 'internal' || error.code === 'unknown-method' || error.code === 'unauthorized') return new Error(error.message);
  const field = error.field ?? '';
  const flag = flags[field] ?? flags[field.split('.')[0] ?? ''];
  if (flag === undefined) return new DomainError(error.code, error.message);
  // The contract says "Reason is required" (the field's label, or its path in older wording); here
  // the thing to fix is "--reason", so the name goes and the flag takes its place.
  const name = [fieldLabel(field), field].find((n) => error.message.startsWith(`${n} `));
  const message = name === undefined ? error.message : error.message.slice(name.length + 1);
  return new DomainError(error.code, `${flag}: ${message}`, { field: flag });
}

/** Dispatches as the console does; a refusal is thrown with the flag to fix. */
export async function call<T>(app: HostApp, method: string, input: unknown, flags: FlagNames = {}): Promise<T> {
  const result = await app.dispatch(method, input);
  if (!result.ok) throw refusalOf(result.error, flags);
  return result.data as T;
}

/** The fleet server with this alias (any case) or IP, or a refusal naming `flag`. */
export async function serverNamed(app: HostApp, wanted: string, flag: string): Promise<Server> {
  const server = findServer(await call<Server[]>(app, 'fleet:list-servers', {}), wanted);
  if (!server) throw invalid(flag, `${flag}: no server with alias or IP "${wanted}" (see \`switchyard fleet list\`).`);
  return server;
}

async function namedIn(app: HostApp, what: 'cluster' | 'zone', wanted: string): Promise<string> {
  const all = await call<(Cluster | Zone)[]>(app, what === 'cluster' ? 'fleet:list-clusters' : 'fleet:list-zones', {});
  const found = all.find((x) => x.name.toLowerCase() === wanted.trim().toLowerCase());
  if (found) return found.id;
  const known = all.length === 0 ? `there are no ${what}s` : `${what}s: ${all.map((x) => x.name).join(', ')}`;
  throw invalid(`--${what}`, `--${what}: no ${what} named "${wanted}" (${known}).`);
}

const table = (head: string[], rows: string[][]): string => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
};

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const SILENCE_FLAGS: FlagNames = { for: '--for', until: '--until', reason: '--reason', id: 'ID' };

/** `silence list`, `silence end ID`, else a new silence (a server named "list" is silenced by its IP). */
export async function silenceCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  if (args[0] === 'list') return listSilences(args.slice(1), openApp, io);
  if (args[0] === 'end') return endSilence(args.slice(1), openApp, io);
  return createSilence(args, openApp, io);
}

async function listSilences(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: 'boolean' }, json: { type: 'boolean' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return help(io, SILENCE_USAGE);
  noExtra(positionals, 'silence list');
  return withApp(openApp, async (app) => {
    const silences = await call<Silence[]>(app, 'alerts:list-silences', { includeEnded: values.all === true });
    io.out(values.json ? json(silences) : silencesTable(silences, values.all === true, Date.now()));
    return EXIT_OK;
  });
}

async function endSilence(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return help(io, SILENCE_USAGE);
  const [text, ...extra] = positionals;
  if (text === undefined) throw new UsageError('silence end needs the ID of a silence (see `switchyard silence list`).');
  noExtra(extra, 'silence end');
  if (!/^\d{1,15}$/.test(text)) throw invalid('ID', `ID: "${text}" is not a silence id (a number from \`switchyard silence list\`).`);
  return withApp(openApp, async (app) => {
    // A missing silence is refused with no field: it is the ID that is wrong.
    const silence = await call<Silence>(app, 'alerts:end-silence', { id: Number(text) }, { ...SILENCE_FLAGS, '': 'ID' });
    io.out(values.json ? json(silence) : `Ended silence ${silence.id} on ${silence.scopeLabel}.\n${silenceText(silence, Date.now())}`);
    return EXIT_OK;
  });
}

async function createSilence(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinRelativeTimes(args, ['--until']),
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      zone: { type: 'string' },
      for: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help(io, SILENCE_USAGE);
  const [server, ...extra] = positionals;
  noExtra(extra, 'silence');
  const targets = [server, values.cluster, values.zone].filter((t) => t !== undefined).length;
  if (targets !== 1)
    throw new UsageError(
      targets === 0
        ? 'silence needs what to silence: a SERVER, --cluster NAME or --zone NAME (or `silence list`, `silence end ID`).'
        : 'silence takes one of SERVER, --cluster NAME or --zone NAME.',
    );
  if (values.for !== undefined && values.until !== undefined) throw invalid('--for', '--for and --until: give one of them, not both.');
  if (values.for === undefined && values.until === undefined)
    throw invalid('--for', '--for: is required (or --until TIME): say how long, such as 1h or 2d.');
  if (values.reason === undefined) throw invalid('--reason', '--reason: is required: say why the alerts are silenced.');
  // Checked here to name the flag and show the accepted forms; the host checks them again.
  if (values.for !== undefined) parseForArg(values.for);
  const when = values.for !== undefined ? { for: values.for.trim() } : { until: parseTimeArg('--until', values.until ?? '', Date.now()) };
  return withApp(openApp, async (app) => {
    let scope: { level: 'server' | 'cluster' | 'zone'; id: string };
    if (server !== undefined) scope = { level: 'server', id: (await serverNamed(app, server, 'SERVER')).id };
    else if (values.cluster !== undefined) scope = { level: 'cluster', id: await namedIn(app, 'cluster', values.cluster) };
    else scope = { level: 'zone', id: await namedIn(app, 'zone', values.zone ?? '') };
    const scopeFlag = server !== undefined ? 'SERVER' : values.cluster !== undefined ? '--cluster' : '--zone';
    const input = { scope, reason: values.reason, ...when };
    const silence = await call<Silence>(app, 'alerts:create-silence', input, { ...SILENCE_FLAGS, scope: scopeFlag });
    io.out(values.json ? json(silence) : `Silenced ${silence.scopeLabel}.\n${silenceText(silence, Date.now())}`);
    return EXIT_OK;
  });
}

export async function alertsCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help(io, ALERTS_USAGE);
  noExtra(positionals, 'alerts');
  if (values.json && values.csv) throw new UsageError('alerts prints --json or --csv, not both.');
  const filter = { state: values.all ? 'all' : 'open', limit: 5_000 };
  return withApp(openApp, async (app) => {
    if (values.csv) {
      // The console's own export: the same columns a spreadsheet already gets from the app.
      io.out((await call<{ text: string }>(app, 'alerts:export', { format: 'csv', filter })).text);
      return EXIT_OK;
    }
    const { alerts, total } = await call<{ alerts: Alert[]; total: number }>(app, 'alerts:list', filter);
    io.out(values.json ? json(alerts) : alertsTable(alerts, total, values.all === true));
    return EXIT_OK;
  });
}

async function withApp(openApp: () => HostApp, run: (app: HostApp) => Promise<number>): Promise<number> {
  const app = openApp();
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

function help(io: Io, usage: string): number {
  io.out(usage);
  return EXIT_OK;
}

function noExtra(extra: string[], command: string): void {
  if (extra.length > 0) throw new UsageError(`${command}: unexpected ${JSON.stringify(extra.join(' '))}.`);
}

function heldText(held: Hold | null): string {
  if (held === null) return '';
  return held.until === null ? `${held.kind} until its action ends` : `${held.kind} until ${localTime(held.until)}`;
}

function alertsTable(alerts: Alert[], total: number, all: boolean): string {
  if (alerts.length === 0) return all ? 'No alerts.\n' : 'No open alerts.\n';
  const rows = alerts.map((a) => [
    String(a.id),
    a.flapping ? `${a.state}, flapping` : a.state,
    a.severity,
    a.kind,
    a.subject.label,
    localTime(a.startedAt),
    a.summary,
    heldText(a.held),
  ]);
  const shown = total > alerts.length ? `${alerts.length} of ${total} alert(s), the newest` : `${alerts.length} alert(s)`;
  return `${table(['ID', 'STATE', 'SEVERITY', 'KIND', 'SUBJECT', 'SINCE', 'SUMMARY', 'HELD'], rows)}${shown}; times in ${zoneName()}.\n`;
}

function silenceState(s: Silence, now: number): string {
  if (s.active) return 'active';
  if (s.startsAt > now && s.endedAt === null) return 'future';
  return s.endedAt === null ? 'expired' : 'ended';
}

function silencesTable(silences: Silence[], all: boolean, now: number): string {
  if (silences.length === 0) return all ? 'No silences.\n' : 'No active or future silences.\n';
  const rows = silences.map((s) => [
    String(s.id),
    silenceState(s, now),
    s.scopeLabel,
    localTime(s.startsAt),
    localTime(s.endedAt ?? s.endsAt),
    s.createdBy,
    s.reason,
  ]);
  return `${table(['ID', 'STATE', 'SCOPE', 'FROM', 'UNTIL', 'BY', 'REASON'], rows)}${silences.length} silence(s); times in ${zoneName()}.\n`;
}

function silenceText(s: Silence, now: number): string {
  const left = s.active ? ` (${formatDuration(s.endsAt - now)} from now)` : '';
  const lines = [
    ['id', String(s.id)],
    ['scope', s.scopeLabel],
    ['state', silenceState(s, now)],
    ['from', localTime(s.startsAt)],
    ['until', `${localTime(s.endsAt)}${left}`],
    ...(s.endedAt === null ? [] : [['ended', `${localTime(s.endedAt)} by ${s.endedBy ?? 'unknown'}`]]),
    ['reason', s.reason],
    ['by', s.createdBy],
  ];
  return `${lines.map(([k, v]) => `  ${(k ?? '').padEnd(8)}${v ?? ''}\n`).join('')}  (times in ${zoneName()})\n`;
}
