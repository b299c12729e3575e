// `switchyard monitor series|events`: the monitoring history the console charts, for a terminal,
// a spreadsheet (--csv) or a script (--json, the contract's own shapes). Reads only: the probes
// run in `switchyard serve` or the desktop app; this reads what they stored.
import { parseArgs } from 'node:util';
import { CHARTED_KINDS } from '../contract/probe-kinds';
import { ProbeKindName, type Series, type SeriesPoint, type StatusEvent } from '../contract/monitoring-methods';
import { formatDuration } from '../domain/alerts/duration';
import { invalid } from '../domain/errors';
import { formatMs } from '../domain/monitoring/format-ms';
import { formatCsv } from '../domain/csv/writer';
import type { HostApp } from '../host/app';
import { call, serverNamed } from './alert-commands';
import { EXIT_OK, UsageError, type Io } from './io';
import { joinRelativeTimes, localIso, localTime, parseTimeArg, zoneName } from './time-args';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), which names the probe kinds from PROBE_KINDS too. */
export const MONITOR_USAGE = usageOf('monitor');

const HOUR = 3_600_000;
const DEFAULT_KINDS: readonly ProbeKindName[] = CHARTED_KINDS;
const SERIES_FLAGS = { serverId: 'SERVER', from: '--from', to: '--to', range: '--from', kinds: '--kind', source: '--source' };
/** The contract's own bounds, checked here to say them in the flag's words. */
const MAX_EVENTS = 1_000;

export async function monitorCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'series') return seriesCommand(rest, openApp, io);
  if (sub === 'events') return eventsCommand(rest, openApp, io);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(MONITOR_USAGE);
    return EXIT_OK;
  }
  throw new UsageError(
    sub === undefined || sub.startsWith('-') ? 'monitor needs a command: series or events.' : `Unknown monitor command "${sub}".`,
  );
}

async function seriesCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinRelativeTimes(args, ['--from', '--to']),
    allowPositionals: true,
    options: {
      kind: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      source: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help(io);
  const [wanted, ...extra] = positionals;
  if (wanted === undefined) throw new UsageError('monitor series needs a SERVER (an alias or IP).');
  if (extra.length > 0) throw new UsageError(`monitor series takes one SERVER; also got ${JSON.stringify(extra.join(' '))}.`);
  if (values.json && values.csv) throw new UsageError('monitor series prints --json or --csv, not both.');
  const kinds = kindsOf(values.kind);
  const now = Date.now();
  const to = values.to === undefined ? now : parseTimeArg('--to', values.to, now);
  const from = values.from === undefined ? to - HOUR : parseTimeArg('--from', values.from, now);
  if (to <= from) throw invalid('--to', `--to: ${localTime(to)} is not after --from ${localTime(from)}.`);
  return withApp(openApp, async (app) => {
    const server = await serverNamed(app, wanted, 'SERVER');
    // Who measured: this workstation, or a vantage server named like any other server.
    const source =
      values.source === undefined || values.source.toLowerCase() === 'local' ? null : await serverNamed(app, values.source, '--source');
    const series = await call<Series>(
      app,
      'monitoring:series',
      { serverId: server.id, from, to, kinds, ...(source ? { source: source.id } : {}) },
      SERIES_FLAGS,
    );
    if (values.json) io.out(`${JSON.stringify(series, null, 2)}\n`);
    else if (values.csv) io.out(seriesCsv(series, kinds));
    else io.out(seriesText(series, kinds, `${server.alias} (${server.ip})${source ? ` from ${source.alias}` : ''}`));
    return EXIT_OK;
  });
}

async function eventsCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      server: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) return help(io);
  if (positionals.length > 0)
    throw new UsageError(`monitor events takes no arguments (a server is --server SERVER); got ${JSON.stringify(positionals.join(' '))}.`);
  if (values.json && values.csv) throw new UsageError('monitor events prints --json or --csv, not both.');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!/^\d+$/.test(values.limit ?? '') || limit < 1 || limit > MAX_EVENTS)) {
    throw invalid('--limit', `--limit: "${values.limit}" is not a whole number from 1 to ${MAX_EVENTS}.`);
  }
  return withApp(openApp, async (app) => {
    const serverId = values.server === undefined ? undefined : (await serverNamed(app, values.server, '--server')).id;
    const input = { ...(serverId === undefined ? {} : { serverId }), ...(limit === undefined ? {} : { limit }) };
    const events = await call<StatusEvent[]>(app, 'monitoring:events', input, { serverId: '--server', limit: '--limit' });
    if (values.json) io.out(`${JSON.stringify(events, null, 2)}\n`);
    else if (values.csv)
      io.out(
        csv(
          ['time', 'server', 'ip', 'from', 'to', 'reason'],
          events.map((e) => [localIso(e.at), e.alias, e.ip, e.from, e.to, e.reason]),
        ),
      );
    else io.out(eventsText(events));
    return EXIT_OK;
  });
}

/** `--kind sip-udp --kind icmp` and `--kind sip-udp,icmp` alike; a typo is refused, not dropped. */
function kindsOf(given: string[] | undefined): ProbeKindName[] {
  if (given === undefined) return [...DEFAULT_KINDS];
  const kinds: ProbeKindName[] = [];
  for (const name of given.flatMap((k) => k.split(',')).map((k) => k.trim().toLowerCase())) {
    const kind = ProbeKindName.safeParse(name);
    if (!kind.success) throw invalid('--kind', `--kind: "${name}" is not a probe kind: use ${ProbeKindName.options.join(', ')}.`);
    if (!kinds.includes(kind.data)) kinds.push(kind.data);
  }
  return kinds;
}

async function withApp(openApp: () => HostApp, run: (app: HostApp) => Promise<number>): Promise<number> {
  const app = openApp();
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

function help(io: Io): number {
  io.out(MONITOR_USAGE);
  return EXIT_OK;
}

/** Every point of every kind asked for, in time order (the kinds in the order given). */
function rowsOf(series: Series, kinds: readonly ProbeKindName[]): { kind: ProbeKindName; p: SeriesPoint }[] {
  const rows = kinds.flatMap((kind) => (series.points[kind] ?? []).map((p) => ({ kind, p })));
  return rows.sort((a, b) => a.p.t - b.p.t || kinds.indexOf(a.kind) - kinds.indexOf(b.kind));
}

/** Figures as stored, without float noise: 33.333333333333336 → 33.333. */
const plain = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000);

function seriesCsv(series: Series, kinds: readonly ProbeKindName[]): string {
  const head = ['time', 'kind', 'count', 'lost', 'loss_pct', 'min_ms', 'median_ms', 'max_ms', 'mean_ms', 'flagged', 'sip_code'];
  return csv(
    head,
    rowsOf(series, kinds).map(({ kind, p }) => [
      localIso(p.t),
      kind,
      p.count,
      p.lost,
      plain(p.lossPct),
      plain(p.minMs),
      plain(p.medianMs),
      plain(p.maxMs),
      plain(p.meanMs),
      p.flagged,
      p.code,
    ]),
  );
}

function seriesText(series: Series, kinds: readonly ProbeKindName[], label: string): string {
  const span = `${localTime(series.from)} to ${localTime(series.to)}`;
  const rows = rowsOf(series, kinds);
  if (rows.length === 0)
    return `${label}: no ${kinds.join(' or ')} samples from ${span}. (The fleet is probed while \`switchyard serve\` or the app runs.)\n`;
  const body = rows.map(({ kind, p }) => [
    localTime(p.t),
    kind,
    String(p.count),
    String(p.lost),
    p.lossPct.toFixed(1),
    formatMs(p.minMs),
    formatMs(p.medianMs),
    formatMs(p.maxMs),
    p.code === null ? '—' : String(p.code),
  ]);
  const source = series.source === 'raw' ? 'samples' : `${series.source} rollups`;
  return `${label}, ${span}: ${source}, one row per ${stepText(series.stepMs)} step and kind; times in ${zoneName()}.\n\n${table(['TIME', 'KIND', 'COUNT', 'LOST', 'LOSS %', 'MIN ms', 'MEDIAN ms', 'MAX ms', 'SIP'], body, 2)}`;
}

/** A raw step is any number of ms (the range over the point budget): "1.8s", not a rounded "2s". */
const stepText = (ms: number): string => (ms < 60_000 && ms % 1_000 !== 0 ? `${(ms / 1_000).toFixed(1)}s` : formatDuration(ms));

function eventsText(events: StatusEvent[]): string {
  if (events.length === 0) return 'No status changes recorded.\n';
  const rows = events.map((e) => [localTime(e.at), e.alias, e.ip, `${e.from} → ${e.to}`, e.reason]);
  return `${table(['TIME', 'SERVER', 'IP', 'CHANGE', 'REASON'], rows)}${events.length} status change(s), newest first; times in ${zoneName()}.\n`;
}

/** Columns from `numericFrom` on are right-aligned, as figures are read. */
function table(head: string[], rows: string[][], numericFrom = Infinity): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= numericFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [head, ...rows].map((r) => `${line(r)}\n`).join('');
}

function csv(head: string[], rows: (string | number | null)[][]): string {
  return formatCsv(head, rows);
}
