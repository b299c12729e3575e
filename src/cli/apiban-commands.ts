// `switchyard apiban`: the schedule, the allow-list and what each server was given, as the console
// shows them on its APIBAN page. Calls go through the host's dispatch, so validation and refusals
// are the console's own. The key lives in the secret store of the host that runs the schedule:
// these commands see it only with the same --secrets-key FILE as `serve`.
import { parseArgs } from 'node:util';
import type { ApibanAllowEntry, ApibanStatus, ApibanSyncResult } from '../contract/apiban-methods';
import type { Server } from '../contract/fleet';
import { describeDrops } from '../domain/apiban/ban-filter';
import { nextSyncAt } from '../domain/apiban/schedule';
import { formatDuration, parseDuration } from '../domain/alerts/duration';
import { invalid } from '../domain/errors';
import type { HostApp } from '../host/app';
import type { SecretStore } from '../services/secrets/secret-store';
import { call, serverNamed, type FlagNames } from './alert-commands';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { keyFileOf, serveSecretStore } from './serve-secrets';
import { localTime, zoneName } from './time-args';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const APIBAN_USAGE = usageOf('apiban');

type OpenApp = (secrets?: SecretStore) => HostApp;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

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

export async function apibanCommand(args: string[], openApp: OpenApp, io: Io, dataDir: string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(APIBAN_USAGE);
    return EXIT_OK;
  }
  // `switchyard apiban [--json]` is the status, as the page opens on it.
  if (sub === undefined || sub.startsWith('-')) return status(args, openApp, io, dataDir);
  if (sub === 'status') return status(rest, openApp, io, dataDir);
  if (sub === 'sync') return sync(rest, openApp, io, dataDir);
  if (sub === 'schedule') return schedule(rest, openApp, io);
  if (sub === 'allow') return allow(rest, openApp, io);
  throw new UsageError(`apiban: unknown command "${sub}" (status, sync, schedule or allow).`);
}

async function withApp(openApp: OpenApp, secrets: SecretStore | undefined, run: (app: HostApp) => Promise<number>): Promise<number> {
  const app = openApp(secrets);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/** The serve host's secret store when a key file is given (or handed over by systemd). */
function secretsOf(flag: string | undefined, dataDir: string, io: Io): SecretStore | undefined {
  const keyFile = keyFileOf(flag, process.env);
  return keyFile === null ? undefined : serveSecretStore(dataDir, keyFile, (m) => io.err(`${m}\n`)).secrets;
}

async function status(args: string[], openApp: OpenApp, io: Io, dataDir: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, 'secrets-key': { type: 'string' } },
  });
  if (positionals.length > 0) throw new UsageError(`apiban status: unexpected ${JSON.stringify(positionals.join(' '))}.`);
  const secrets = secretsOf(values['secrets-key'], dataDir, io);
  return withApp(openApp, secrets, async (app) => {
    const s = await call<ApibanStatus>(app, 'apiban:status', {});
    const servers = await call<Server[]>(app, 'fleet:list-servers', {});
    // Without the serve host's secrets, whether a key is set is not known here: say when a sync would run if it is.
    const next = secrets === undefined && !s.keySet ? nextSyncAt(s.schedule, true, s.lastSyncAt, Date.now()) : s.schedule.nextSyncAt;
    if (values.json) {
      io.out(json({ ...s, keySet: secrets === undefined ? null : s.keySet, schedule: { ...s.schedule, nextSyncAt: next } }));
      return EXIT_OK;
    }
    io.out(statusText(s, servers, next, secrets !== undefined, Date.now()));
    return EXIT_OK;
  });
}

function when(at: number | null, now: number): string {
  if (at === null) return 'never';
  const delta = at - now;
  const rel = Math.abs(delta) < 1_000 ? 'now' : delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
  return `${localTime(at)} (${rel})`;
}

function statusText(s: ApibanStatus, servers: Server[], next: number | null, keyKnown: boolean, now: number): string {
  const alias = new Map(servers.map((sv) => [sv.id, `${sv.alias} (${sv.ip})`]));
  const sched = s.schedule;
  const key = keyKnown ? (s.keySet ? 'key set' : 'no key set') : 'key: held by the running host (pass --secrets-key FILE to check)';
  const lines = [
    `APIBAN: ${s.addresses.toLocaleString('en-US')} banned address${s.addresses === 1 ? '' : 'es'}; ${key}; API ${s.baseUrl}${sched.httpHost ? ` (plain http allowed for ${sched.httpHost})` : ''}`,
    `Schedule: ${sched.enabled ? `on, every ${formatDuration(sched.intervalSec * 1000)}` : 'off'}; ${sched.running ? 'running in this host' : 'runs in `switchyard serve` or the desktop app'}`,
    `Last sync: ${when(s.lastSyncAt, now)}${s.lastOutcome ? `, ${s.lastOutcome}` : ''}${s.lastMessage ? `: ${s.lastMessage}` : ''}`,
    `Next sync: ${sched.enabled ? (next === null ? 'when a key is set' : when(next, now)) : 'none (the schedule is off)'}`,
    `Dropped by the last sync: ${s.dropped === null ? 'nothing yet' : describeDrops(s.dropped) || 'nothing'}`,
    `Allow-list: ${s.allowCount} entr${s.allowCount === 1 ? 'y' : 'ies'}`,
    '',
  ];
  const applied = new Map(s.applied.map((a) => [a.serverId, a]));
  const scheduled = new Map(sched.targets.map((t) => [t.serverId, t]));
  const ids = [...new Set([...sched.targets.map((t) => t.serverId), ...s.applied.map((a) => a.serverId)])];
  if (ids.length === 0)
    return `${lines.join('\n')}No server has been given the list; choose some with \`switchyard apiban schedule --apply-to SERVER,…\`.\n`;
  const rows = ids.map((id) => {
    const a = applied.get(id);
    const t = scheduled.get(id);
    return [
      alias.get(id) ?? id,
      t
        ? `${t.method}${t.due ? `, due: ${t.due}` : s.lastSyncAt === null ? ', after the first sync' : `, next ${when(t.nextApplyAt, now)}`}`
        : 'by hand only',
      a ? (a.ok ? 'ok' : 'FAILED') : '—',
      a?.entries === null || a === undefined ? '—' : String(a.entries),
      a ? localTime(a.appliedAt) : '—',
      a?.message ?? 'never applied',
    ];
  });
  return `${lines.join('\n')}${table(['SERVER', 'SCHEDULE', 'LAST', 'ENTRIES', 'APPLIED', 'RESULT'], rows)}Times in ${zoneName()}.\n`;
}

async function sync(args: string[], openApp: OpenApp, io: Io, dataDir: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, 'secrets-key': { type: 'string' } },
  });
  if (positionals.length > 0) throw new UsageError(`apiban sync: unexpected ${JSON.stringify(positionals.join(' '))}.`);
  const secrets = secretsOf(values['secrets-key'], dataDir, io);
  if (secrets === undefined) {
    throw invalid(
      '--secrets-key',
      '--secrets-key: the APIBAN key is in the secret store of the host that runs `serve`; pass the same key file, or press "Sync now" in the console.',
    );
  }
  return withApp(openApp, secrets, async (app) => {
    const result = await call<ApibanSyncResult>(app, 'apiban:sync', {});
    io.out(values.json ? json(result) : `${result.message}\n`);
    return result.outcome === 'failed' ? EXIT_FAILURE : EXIT_OK;
  });
}

const SCHEDULE_FLAGS: FlagNames = { enabled: '--on/--off', intervalSec: '--every', targets: '--apply-to' };

async function schedule(args: string[], openApp: OpenApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      on: { type: 'boolean' },
      off: { type: 'boolean' },
      every: { type: 'string' },
      'apply-to': { type: 'string' },
      method: { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`apiban schedule: unexpected ${JSON.stringify(positionals.join(' '))}.`);
  if (values.on && values.off) throw new UsageError('apiban schedule takes --on or --off, not both.');
  const method = values.method ?? 'ipset';
  if (method !== 'ipset' && method !== 'nftables') throw invalid('--method', `--method: "${method}" is not ipset or nftables.`);
  let intervalSec: number | undefined;
  if (values.every !== undefined) {
    const ms = parseDuration(values.every);
    if (ms === null || ms < 60_000 || ms > 604_800_000)
      throw invalid('--every', `--every: "${values.every}" is not a duration from 1m to 7d: write it like 30m, 1h or 6h.`);
    intervalSec = Math.round(ms / 1000);
  }
  return withApp(openApp, undefined, async (app) => {
    let targets: { serverId: string; method: 'ipset' | 'nftables' }[] | undefined;
    const wanted = values['apply-to'];
    if (wanted !== undefined) {
      const names =
        wanted.trim().toLowerCase() === 'none'
          ? []
          : wanted
              .split(',')
              .map((n) => n.trim())
              .filter((n) => n !== '');
      targets = [];
      for (const name of names) targets.push({ serverId: (await serverNamed(app, name, '--apply-to')).id, method });
    }
    const input = {
      ...(values.on ? { enabled: true } : values.off ? { enabled: false } : {}),
      ...(intervalSec === undefined ? {} : { intervalSec }),
      ...(targets === undefined ? {} : { targets }),
    };
    const s = await call<ApibanStatus>(
      app,
      Object.keys(input).length === 0 ? 'apiban:status' : 'apiban:set-schedule',
      input,
      SCHEDULE_FLAGS,
    );
    const servers = await call<Server[]>(app, 'fleet:list-servers', {});
    io.out(
      values.json
        ? json(s.schedule)
        : statusText(s, servers, s.schedule.nextSyncAt ?? nextSyncAt(s.schedule, true, s.lastSyncAt, Date.now()), false, Date.now()),
    );
    return EXIT_OK;
  });
}

async function allow(args: string[], openApp: OpenApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { note: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } },
  });
  const [verb = 'list', entry, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`apiban allow: unexpected ${JSON.stringify(extra.join(' '))}.`);
  const flags: FlagNames = { entry: 'ADDRESS|CIDR', note: '--note' };
  return withApp(openApp, undefined, async (app) => {
    if (verb === 'list') {
      if (entry !== undefined) throw new UsageError(`apiban allow list: unexpected "${entry}".`);
      const list = await call<ApibanAllowEntry[]>(app, 'apiban:list-allowed', {});
      if (values.json) io.out(json(list));
      else
        io.out(
          list.length === 0
            ? 'The allow-list is empty.\n'
            : table(
                ['ENTRY', 'ADDED', 'NOTE'],
                list.map((a) => [a.entry, localTime(a.addedAt), a.note]),
              ),
        );
      return EXIT_OK;
    }
    if (entry === undefined)
      throw new UsageError(`apiban allow ${verb} needs an address or a CIDR block, such as 203.0.113.7 or 203.0.113.0/24.`);
    if (verb === 'add') {
      const added = await call<{ entry: ApibanAllowEntry; removed: number }>(
        app,
        'apiban:add-allowed',
        { entry, note: values.note ?? '' },
        flags,
      );
      io.out(
        values.json
          ? json(added)
          : `${added.entry.entry} is never banned now${added.removed > 0 ? `; ${added.removed} address${added.removed === 1 ? '' : 'es'} it covers left the list (and leave the servers at their next apply)` : ''}.\n`,
      );
      return EXIT_OK;
    }
    if (verb === 'remove') {
      await call(app, 'apiban:remove-allowed', { entry }, flags);
      io.out(`${entry} is off the allow-list: APIBAN may ban it again from the next sync.\n`);
      return EXIT_OK;
    }
    throw new UsageError(`apiban allow: unknown command "${verb}" (list, add or remove).`);
  });
}
