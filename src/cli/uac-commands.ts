// `switchyard uac SERVER [--json]`: the upstream providers a server registers to (UAC Auth) and
// the live state of each registration, read now from the server's Kamailio over SSH
// (`kamcmd uac.reg_dump`, through the recipe book's `uac.dump`). Exit 1 when the read failed or
// an upstream is not registered, so a script can ask "is sw-01 registered upstream?".
import { parseArgs } from 'node:util';
import type { UacView } from '../contract/uac-methods';
import { UAC_STATE_LABEL } from '../domain/uac/reg-state';
import type { HostApp } from '../host/app';
import { call, serverNamed } from './alert-commands';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const UAC_USAGE = usageOf('uac');

function table(view: UacView): string {
  const byId = new Map(view.status.upstreams.map((s) => [s.upstreamId, s]));
  // No password column: a one-shot command's secret store is not the console's.
  const head = ['REGISTRAR', 'USERNAME', 'EXPIRY', 'STATE', 'WHY'];
  const rows = view.upstreams.map((u) => {
    const s = byId.get(u.id);
    return [
      u.registrar,
      u.username,
      `${u.expiry} s`,
      s
        ? `${UAC_STATE_LABEL[s.state]}${s.state === 'registered' && s.refreshInSec !== null ? ` (renews in ${s.refreshInSec} s)` : ''}${s.stale ? ' [older values on server]' : ''}`
        : '—',
      s?.reason ?? '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map(
      (r) =>
        `${r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export async function uacCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' } },
  });
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) throw new UsageError('uac needs one SERVER (alias or IP).');
  const app = openApp();
  try {
    const server = await serverNamed(app, name, 'SERVER');
    const where = `${server.alias} (${server.ip})`;
    const view = await call<UacView>(app, 'uac:status', { serverId: server.id });
    const down = view.status.upstreams.filter((u) => u.state !== 'registered');
    const failed = view.status.error !== null || down.length > 0;
    if (values.json) {
      io.out(`${JSON.stringify(view, null, 2)}\n`);
      return failed ? EXIT_FAILURE : EXIT_OK;
    }
    io.out(
      `${where}: UAC Auth ${view.uacAuth ? 'on' : 'off (Install does not push these)'}, ${view.upstreams.length} upstream${view.upstreams.length === 1 ? '' : 's'}.\n`,
    );
    if (view.status.error !== null) {
      io.err(`${view.status.error}\n`);
      return EXIT_FAILURE;
    }
    if (view.upstreams.length > 0) io.out(table(view));
    for (const u of view.status.unmanaged)
      io.out(
        `Also on the server, not written by Switchyard: ${u.uuid} (${u.username ?? '?'} via ${u.proxy ?? '?'}), ${u.registered ? 'registered' : 'not registered'}.\n`,
      );
    io.out("Read now with kamcmd uac.reg_dump over SSH (the recipe book's uac.dump).\n");
    if (down.length > 0) io.out(`${down.length} of ${view.upstreams.length} not registered.\n`);
    return failed ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await app.close();
  }
}
