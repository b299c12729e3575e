import { parseArgs } from 'node:util';
import type { Server, Zone } from '../contract/fleet';
import type { MediaMeasurement, MediaSsh } from '../contract/media-methods';
import type { HostKeyPrompt } from '../contract/ssh-methods';
import { invalid } from '../domain/errors';
import { formatMs } from '../domain/media/ranking';
import type { HostApp } from '../host/app';
import { EXIT_FAILURE, EXIT_OK, reportFailure, UsageError, type Io } from './io';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const MEDIA_USAGE = usageOf('media-path', 'media-zone', 'media-ssh');

async function call<T>(app: HostApp, method: Parameters<HostApp['dispatch']>[0], input: unknown, io: Io): Promise<T | number> {
  const result = await app.dispatch(method, input as never);
  if (!result.ok) return reportFailure(result, io);
  return result.data as T;
}

async function serverNamed(app: HostApp, name: string, io: Io): Promise<Server | number> {
  const servers = await call<Server[]>(app, 'fleet:list-servers', {}, io);
  if (typeof servers === 'number') return servers;
  const found = servers.find((s) => s.alias === name || s.ip === name || s.id === name);
  // A name that matches nothing is a refusal, not a misuse of the command: no usage text after it.
  if (!found) throw invalid('server', `No fleet server is called "${name}" (give its alias or IP).`);
  return found;
}

const ms = (v: number | null): string => (v === null ? '—' : formatMs(v));

export function renderMeasurement(m: MediaMeasurement): string {
  const head = ['RANK', 'ZONE', 'VIA', 'CUSTOMER ms', 'CARRIER ms', 'PATH ms', 'ADDED ms', 'NOTE'];
  const rows = m.zones.map((z) => [
    z.rank === null ? '—' : String(z.rank),
    z.zoneName,
    z.via ? `${z.via.alias} (${z.via.ip})` : '—',
    ms(z.customerMs),
    ms(z.carrierMs),
    ms(z.pathMs),
    ms(z.addedMs),
    z.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [head, ...rows].map((r) =>
    r
      .map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const direct =
    m.direct.rttMs === null ? `direct: ${m.direct.note}` : `direct customer ↔ carrier: ${formatMs(m.direct.rttMs)} ms (${m.direct.note})`;
  return [
    `Media path: customer ${m.customer}, carrier ${m.carrier}${m.serverLabel ? `, for ${m.serverLabel}` : ''} (round trips, ms)`,
    '',
    ...lines,
    '',
    direct,
    m.verdict,
    `Rule: ${m.rule}`,
    ...(m.errors.length > 0 ? ['', `${m.errors.length} path(s) not measured:`, ...m.errors.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}

export async function mediaPathCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      customer: { type: 'string' },
      carrier: { type: 'string' },
      server: { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
    },
  });
  if (values.customer === undefined) throw new UsageError('media-path needs --customer ADDR.');
  if (values.carrier === undefined && values.server === undefined)
    throw new UsageError("media-path needs --carrier ADDR or --server NAME (the carrier's end).");
  const app = openApp();
  // No one to ask in a script: an RTP server whose host key is not on file is refused at once
  // (and reported as that server's failure), never accepted silently nor left waiting.
  const stopRefusing = app.events.on(
    (name, payload) => {
      if (name !== 'ssh:host-key-prompt') return;
      const key = payload as HostKeyPrompt;
      io.err(
        `switchyard: the host key of ${key.host}:${key.port} (${key.keyType} ${key.fingerprint}) is not on file. Connect once from the console to accept it, or add it to ~/.ssh/known_hosts.\n`,
      );
      void app.dispatch('ssh:answer-host-key', { promptId: key.promptId, accept: false });
    },
    (name) => name === 'ssh:host-key-prompt',
  );
  try {
    const server = values.server === undefined ? null : await serverNamed(app, values.server, io);
    if (typeof server === 'number') return server;
    const input = {
      customer: values.customer,
      ...(values.carrier === undefined ? {} : { carrier: values.carrier }),
      ...(server ? { serverId: server.id } : {}),
    };
    const m = await call<MediaMeasurement>(app, 'media:measure', input, io);
    if (typeof m === 'number') return m;
    io.out(values.json ? `${JSON.stringify(m, null, 2)}\n` : renderMeasurement(m));
    return m.zones.some((z) => z.rank !== null) ? EXIT_OK : EXIT_FAILURE;
  } finally {
    stopRefusing();
    await app.close();
  }
}

export async function mediaZoneCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' } } });
  const [serverName, zoneName, extra] = positionals;
  if (serverName === undefined || extra !== undefined)
    throw new UsageError('media-zone takes a server and, to set it, a zone name or "auto".');
  const app = openApp();
  try {
    const server = await serverNamed(app, serverName, io);
    if (typeof server === 'number') return server;
    const zones = await call<Zone[]>(app, 'fleet:list-zones', {}, io);
    if (typeof zones === 'number') return zones;
    const nameOf = (id: string | null) => (id === null ? 'automatic' : (zones.find((z) => z.id === id)?.name ?? id));
    if (zoneName === undefined) {
      const all = await call<{ serverId: string; zoneId: string | null }[]>(app, 'media:zones', {}, io);
      if (typeof all === 'number') return all;
      io.out(`${server.alias}: media zone ${nameOf(all.find((z) => z.serverId === server.id)?.zoneId ?? null)}\n`);
      return EXIT_OK;
    }
    let zoneId: string | null = null;
    if (zoneName !== 'auto') {
      const zone = zones.find((z) => z.name === zoneName || z.id === zoneName);
      if (!zone)
        throw invalid('zone', `No zone is called "${zoneName}" (zones: ${zones.map((z) => z.name).join(', ') || 'none'}; or "auto").`);
      zoneId = zone.id;
    }
    const set = await call<{ zoneId: string | null }>(app, 'media:set-zone', { serverId: server.id, zoneId }, io);
    if (typeof set === 'number') return set;
    io.out(`${server.alias}: media zone set to ${nameOf(set.zoneId)}.\n`);
    return EXIT_OK;
  } finally {
    await app.close();
  }
}

export async function mediaSshCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      port: { type: 'string' },
      key: { type: 'string' },
      agent: { type: 'boolean' },
      jump: { type: 'string' },
      data: { type: 'string' },
    },
  });
  if (values.key !== undefined && values.agent === true) throw new UsageError('Give --key FILE or --agent, not both.');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new UsageError(`--port must be 1–65535, not "${values.port}".`);
  const app = openApp();
  try {
    const current = await call<MediaSsh>(app, 'media:get-ssh', {}, io);
    if (typeof current === 'number') return current;
    const changed =
      values.user !== undefined || port !== undefined || values.key !== undefined || values.agent === true || values.jump !== undefined;
    let settings = current;
    if (changed) {
      const next: MediaSsh = {
        port: port ?? current.port,
        user: values.user ?? current.user,
        auth: values.key !== undefined ? 'key' : values.agent === true ? 'agent' : current.auth,
        keyPath: values.key ?? (values.agent === true ? null : current.keyPath),
        jumpHost: values.jump ?? current.jumpHost,
      };
      const saved = await call<MediaSsh>(app, 'media:set-ssh', next, io);
      if (typeof saved === 'number') return saved;
      settings = saved;
    }
    const or = (v: string | number | null, fallback: string) => (v === null ? fallback : String(v));
    io.out(
      `RTP servers are reached as ${or(settings.user, '(user from ~/.ssh/config)')} on port ${or(settings.port, '(~/.ssh/config, else 22)')} with ${settings.auth === 'key' ? `the key ${or(settings.keyPath, '(IdentityFile from ~/.ssh/config)')}` : 'ssh-agent'}${settings.jumpHost ? ` through ${settings.jumpHost}` : ''}.\n`,
    );
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
