// `switchyard vantage status|set`: the servers' own vantage points from a terminal. The streams
// run in `switchyard serve` or the desktop app; `status` shows what that host last recorded (the
// state of each stream and the newest sample per target), `set` changes the settings the host
// follows (it picks them up at its next fleet or settings change, or its next start).
import { parseArgs } from 'node:util';
import type { Server } from '../contract/fleet';
import type { VantageSettings, VantageStatus } from '../contract/vantage-methods';
import { invalid } from '../domain/errors';
import { formatMs } from '../domain/monitoring/format-ms';
import type { HostApp } from '../host/app';
import { call, serverNamed } from './alert-commands';
import { EXIT_OK, UsageError, type Io } from './io';
import { localTime, zoneName } from './time-args';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const VANTAGE_USAGE = usageOf('vantage');

const SETTINGS_FLAGS = { enabled: '--on', sources: '--sources', chosen: '--sources', intervalSec: '--interval', targets: '--add-target' };

export async function vantageCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'status') return statusCommand(rest, openApp, io);
  if (sub === 'set') return setCommand(rest, openApp, io);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(VANTAGE_USAGE);
    return EXIT_OK;
  }
  throw new UsageError(
    sub === undefined || sub.startsWith('-') ? 'vantage needs a command: status or set.' : `Unknown vantage command "${sub}".`,
  );
}

async function statusCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) return help(io);
  if (positionals.length > 0) throw new UsageError(`vantage status takes no arguments; got ${JSON.stringify(positionals.join(' '))}.`);
  return withApp(openApp, async (app) => {
    const status = await call<VantageStatus>(app, 'vantage:status', {});
    io.out(values.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
    return EXIT_OK;
  });
}

async function setCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      on: { type: 'boolean' },
      off: { type: 'boolean' },
      sources: { type: 'string' },
      interval: { type: 'string' },
      switches: { type: 'string' },
      rtp: { type: 'string' },
      'add-target': { type: 'string', multiple: true },
      'remove-target': { type: 'string', multiple: true },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help(io);
  if (positionals.length > 0) throw new UsageError(`vantage set takes flags only; got ${JSON.stringify(positionals.join(' '))}.`);
  if (values.on && values.off) throw new UsageError('vantage set takes --on or --off, not both.');
  return withApp(openApp, async (app) => {
    const current = await call<VantageSettings>(app, 'vantage:settings', {});
    const next: VantageSettings = { ...current, targets: [...current.targets] };
    if (values.on) next.enabled = true;
    if (values.off) next.enabled = false;
    if (values.interval !== undefined) {
      if (!/^\d+$/.test(values.interval))
        throw invalid('--interval', `--interval: "${values.interval}" is not a whole number of seconds (1–60).`);
      next.intervalSec = Number(values.interval);
    }
    if (values.switches !== undefined) next.switches = yesNo('--switches', values.switches);
    if (values.rtp !== undefined) next.rtp = yesNo('--rtp', values.rtp);
    if (values.sources !== undefined) {
      if (values.sources.trim().toLowerCase() === 'dispatchers') {
        next.sources = 'dispatchers';
        next.chosen = [];
      } else {
        const chosen: Server[] = [];
        for (const name of values.sources
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''))
          chosen.push(await serverNamed(app, name, '--sources'));
        next.sources = 'chosen';
        next.chosen = chosen.map((s) => s.id);
      }
    }
    for (const gone of values['remove-target'] ?? []) {
      const before = next.targets.length;
      next.targets = next.targets.filter((t) => t.address.toLowerCase() !== gone.trim().toLowerCase());
      if (next.targets.length === before)
        throw invalid('--remove-target', `--remove-target: ${gone} is not an extra target (see \`switchyard vantage status\`).`);
    }
    for (const spec of values['add-target'] ?? []) {
      const eq = spec.indexOf('=');
      if (eq <= 0 || eq === spec.length - 1)
        throw invalid('--add-target', `--add-target: "${spec}" is not ADDRESS=LABEL (for example 192.0.2.10=Carrier A).`);
      const address = spec.slice(0, eq).trim();
      next.targets = next.targets.filter((t) => t.address.toLowerCase() !== address.toLowerCase());
      next.targets.push({ address, label: spec.slice(eq + 1).trim() });
    }
    const saved = await call<VantageSettings>(app, 'vantage:save-settings', next, SETTINGS_FLAGS);
    io.out(settingsText(saved));
    return EXIT_OK;
  });
}

function yesNo(flag: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'yes' || v === 'on' || v === 'true') return true;
  if (v === 'no' || v === 'off' || v === 'false') return false;
  throw invalid(flag, `${flag}: "${value}" is not yes or no.`);
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
  io.out(VANTAGE_USAGE);
  return EXIT_OK;
}

function settingsText(s: VantageSettings): string {
  const from = s.sources === 'dispatchers' ? 'every dispatcher' : `${s.chosen.length} chosen server(s)`;
  const what = [
    s.switches ? "their cluster's switches" : null,
    s.rtp ? 'the RTP servers' : null,
    s.targets.length > 0 ? `${s.targets.length} added address(es)` : null,
  ].filter((x) => x !== null);
  return (
    `Vantage probes ${s.enabled ? 'on' : 'off'}: ${from} probes ${what.length === 0 ? 'nothing' : what.join(', ')} every ${s.intervalSec} s.\n` +
    s.targets.map((t) => `  ${t.address}  ${t.label}\n`).join('')
  );
}

/** The SIP column of a target: the last OPTIONS figure and code, or that it is ICMP only. */
function sipText(t: VantageStatus['sources'][number]['targets'][number]): string {
  if (t.sipPort === null) return '; SIP —';
  if (t.lastSip === null) return `; SIP :${t.sipPort} no sample yet`;
  const figure = t.lastSip.rttMs === null ? 'lost' : `${formatMs(t.lastSip.rttMs)} ms ${t.lastSip.code ?? ''}`.trimEnd();
  return `; SIP :${t.sipPort} ${figure} at ${localTime(t.lastSip.at)}`;
}

function statusText(status: VantageStatus): string {
  if (!status.enabled)
    return 'Vantage probes are off. Turn them on with `switchyard vantage set --on` (the dispatchers probe by default).\n';
  if (status.sources.length === 0)
    return 'Vantage probes are on, but no server is a vantage point (no running dispatcher, or none chosen).\n';
  const out: string[] = [];
  for (const s of status.sources) {
    const since = s.since > 0 ? ` since ${localTime(s.since)}` : '';
    out.push(`${s.alias} (${s.ip}): ${s.state}${since}${s.live ? '' : ' (as the host last recorded)'}`);
    if (s.reason !== '') out.push(`  ${s.reason}`);
    out.push(`  fping ${s.fpingVersion ?? '—'}; SIP OPTIONS sender: ${s.sipNote}`);
    if (s.unreadableLines > 0) out.push(`  ${s.unreadableLines} line(s) from the server were no result Switchyard could read (ignored).`);
    for (const t of s.targets) {
      const last =
        t.last === null ? 'no sample yet' : `${t.last.rttMs === null ? 'lost' : `${formatMs(t.last.rttMs)} ms`} at ${localTime(t.last.at)}`;
      out.push(`  → ${t.label.padEnd(20)} ${t.address.padEnd(16)} ${t.kind.padEnd(8)} ICMP ${last}${sipText(t)}`);
    }
  }
  return `${out.join('\n')}\nTimes in ${zoneName()}.\n`;
}
