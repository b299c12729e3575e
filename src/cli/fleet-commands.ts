import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Server } from '../contract/fleet';
import type { HostApp } from '../host/app';
import { EXIT_BAD_INPUT, EXIT_OK, reportFailure, UsageError, type Io } from './io';
import { usageOf } from './command-help';
import type { FleetReader } from './fleet-reader';

/** How the fleet commands reach the data: the whole host to change it, the light reader to read it. */
export interface FleetAccess {
  openApp: () => HostApp | Promise<HostApp>;
  openReader: () => FleetReader | Promise<FleetReader>;
}

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const FLEET_USAGE = usageOf('fleet');

export async function fleetCommand(args: string[], { openApp, openReader }: FleetAccess, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
    },
  });
  if (sub === 'list') {
    const reader = await openReader();
    try {
      const servers: Server[] = reader.listServers();
      if (values.json) io.out(`${JSON.stringify(servers, null, 2)}\n`);
      else io.out(formatTable(servers));
      return EXIT_OK;
    } finally {
      reader.close();
    }
  }
  if (sub === 'import') {
    const file = positionals[0];
    if (!file) throw new UsageError('fleet import needs a FILE (.json or .csv).');
    const ext = path.extname(file).toLowerCase();
    if (ext !== '.json' && ext !== '.csv') throw new UsageError(`Cannot tell the format of "${file}": name it .json or .csv.`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`switchyard: cannot read ${file}: ${(error as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    const app = await openApp();
    try {
      const result = await app.dispatch('fleet:import', { format: ext.slice(1), text });
      if (!result.ok) return reportFailure(result, io);
      const s = result.data as { zones: number; clusters: number; servers: number; rtpServers: number };
      io.out(`Imported ${s.servers} server(s), ${s.rtpServers} RTP server(s); created ${s.zones} zone(s) and ${s.clusters} cluster(s).\n`);
      return EXIT_OK;
    } finally {
      app.close();
    }
  }
  if (sub === 'export') {
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not "${format}".`);
    const reader = await openReader();
    try {
      const text = await reader.exportText(format);
      if (values.out) writeFileSync(values.out, text);
      else io.out(text);
      return EXIT_OK;
    } finally {
      reader.close();
    }
  }
  throw new UsageError(sub ? `Unknown fleet command "${sub}".` : 'fleet needs a command.');
}

function formatTable(servers: Server[]): string {
  if (servers.length === 0) return 'The fleet is empty. Import one with `switchyard fleet import FILE`.\n';
  const rows = servers.map((s) => [s.ip, s.alias, s.type, String(s.channels), String(s.cps), s.status]);
  const head = ['IP', 'ALIAS', 'TYPE', 'CHANNELS', 'CPS', 'STATUS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return line(head) + rows.map(line).join('') + `${servers.length} server(s)\n`;
}
