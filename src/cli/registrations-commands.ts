// `switchyard registrations SERVER [--user NAME]`: the user locations registered on one server,
// read over SSH with the recipe book's `registrations` command as the console reads them, with
// each contact's NAT keepalive (round trip, or how long it has been silent). With --user, one
// user's contacts only (the server looks the user up); exit 1 when that user is not registered,
// so a script can ask "is alice registered on sw-01?".
import { parseArgs } from 'node:util';
import type { RegisteredContact, RegistrationLookup, ServerRegistrations } from '../contract/registrations-methods';
import type { HostApp } from '../host/app';
import { call, serverNamed } from './alert-commands';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const REGISTRATIONS_USAGE = usageOf('registrations');

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function keepaliveCell(c: RegisteredContact): string {
  const k = c.keepalive;
  if (k.state === 'silent') return `SILENT ${k.silentForSec ?? '?'} s`;
  if (k.state === 'answering') return 'answering';
  if (k.state === 'not-yet') return 'not pinged yet';
  return '—';
}

function table(contacts: RegisteredContact[]): string {
  const head = ['AOR', 'CONTACT', 'EXPIRES', 'KEEPALIVE', 'RTT', 'USER AGENT'];
  const rows = contacts.map((c) => [
    c.aor,
    c.address,
    c.expires === null ? '—' : `${c.expires} s`,
    keepaliveCell(c),
    c.keepalive.roundtripMs === null ? '—' : `${c.keepalive.roundtripMs} ms`,
    c.userAgent ?? '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map(
      (r) =>
        `${r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export async function registrationsCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { user: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } },
  });
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) throw new UsageError('registrations needs one SERVER (alias or IP).');
  const app = openApp();
  try {
    const server = await serverNamed(app, name, 'SERVER');
    const where = `${server.alias} (${server.ip})`;
    if (values.user !== undefined) {
      const found = await call<RegistrationLookup>(
        app,
        'registrations:lookup',
        { serverId: server.id, user: values.user },
        { user: '--user' },
      );
      if (values.json) io.out(json(found));
      else if (found.aor === null) io.out(`${found.user} is not registered on ${where}.\n`);
      else
        io.out(
          `${found.aor} on ${where}: ${found.contacts.length} contact${found.contacts.length === 1 ? '' : 's'}.\n${table(found.contacts)}${found.keepaliveHealth.summary}\n`,
        );
      return found.aor === null ? EXIT_FAILURE : EXIT_OK;
    }
    const regs = await call<ServerRegistrations>(app, 'registrations:for-server', { serverId: server.id });
    if (values.json) {
      io.out(json(regs));
      return EXIT_OK;
    }
    io.out(
      `${where}: ${regs.contactCount} contact${regs.contactCount === 1 ? '' : 's'} for ${regs.aorCount} AoR${regs.aorCount === 1 ? '' : 's'}.\n`,
    );
    if (regs.contacts.length > 0) io.out(table(regs.contacts));
    if (regs.truncated) io.out(`Showing the first ${regs.contacts.length}; the counts above are exact.\n`);
    io.out(`Keepalive: ${regs.keepaliveHealth.summary}\n`);
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
