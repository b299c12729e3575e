import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openHost, type HostApp } from '../host/app';
import { defaultDataDir } from '../host/data-dir';
import { startWebHost } from '../host/web/server';
import { SchemaTooNewError } from '../services/store/migrate';
import { fleetCommand } from './fleet-commands';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, processIo, UsageError, type Io } from './io';
import { parseCommand } from './parse-command';
import { adviseCommand, limitsCommand } from './platform-commands';
import { probeCommand } from './probe-commands';
import { readSnapshotMeta } from '../services/snapshots/open-snapshot';
import { SNAPSHOTS_FOLDER } from '../services/snapshots/snapshots-service';
import { snapshotCommand } from './snapshot-commands';
import { DomainError } from '../domain/errors';
import { toolCommand } from './tools-commands';
import { alertsCommand, silenceCommand } from './alert-commands';
import { monitorCommand } from './monitor-commands';
import { apibanCommand } from './apiban-commands';
import { acmeCommand, certsCommand } from './certs-commands';
import { registrationsCommand } from './registrations-commands';
import { uacCommand } from './uac-commands';
import { createHostMetrics } from '../services/metrics/host-metrics';
import { loadTokenFile } from '../services/metrics/token-file';
import type { SecretStore } from '../services/secrets/secret-store';
import { keyFileOf, serveSecretStore } from './serve-secrets';
import { globalUsage, helpRequest, misusedCommandOf, unknownCommandLine, usageOf, versionLine } from './command-help';
import { vantageCommand } from './vantage-commands';
import { mediaPathCommand, mediaSshCommand, mediaZoneCommand } from './media-commands';
import { demoCommand } from './demo-command';

// Every line of it comes from the one command list (command-list.ts), as do `help` and the completions.
const USAGE = globalUsage(defaultDataDir());

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

function dataDirOf(args: string[]): string {
  const i = args.indexOf('--data');
  const inline = args.find((a) => a.startsWith('--data='));
  if (inline) return inline.slice('--data='.length);
  const value = i >= 0 ? args[i + 1] : undefined;
  if (i >= 0 && (value === undefined || value.startsWith('--'))) throw new UsageError('--data needs a folder.');
  return value ?? defaultDataDir();
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.out(USAGE);
      return EXIT_BAD_INPUT;
    }
    if (command === '--version' || command === '-V') {
      io.out(versionLine());
      return EXIT_OK;
    }
    const help = helpRequest(argv);
    if (help?.kind === 'global') io.out(USAGE);
    if (help?.kind === 'command') io.out(usageOf(help.path));
    if (help?.kind === 'unknown') io.err(unknownCommandLine(help.words));
    if (help !== null) return help.kind === 'unknown' ? EXIT_BAD_INPUT : EXIT_OK;
    const dataDir = dataDirOf(rest);
    const open = (readOnly = false, snapshot?: string, monitoring = false, secrets?: SecretStore): HostApp =>
      openHost({ dataDir, readOnly, monitoring, actions: { background: monitoring, origin: monitoring ? 'web' : 'cli' }, ...(snapshot === undefined ? {} : { snapshot }), ...(secrets ? { secrets } : {}) });
    // Only the long-running host probes the fleet; one-shot commands open and close quickly.
    if (command === 'serve') return await serve(rest, (readOnly, snapshot, secrets) => open(readOnly, snapshot, true, secrets), io);
    if (command === 'demo') return await demoCommand(rest, io);
    if (command === 'snapshot') return await snapshotCommand(rest, io, { dataDir, openApp: () => open() });
    if (command === 'fleet') return await fleetCommand(rest, () => open(), io);
    if (command === 'ping' || command === 'mtr') return await toolCommand(command, rest, io, { openApp: () => open(), dataDir });
    if (command === 'parse') return await parseCommand(rest, io);
    if (command === 'advise') return await adviseCommand(rest, () => open(), io);
    if (command === 'limits') return await limitsCommand(rest, () => open(), io);
    if (command === 'probe') return await probeCommand(rest, io);
    if (command === 'silence') return await silenceCommand(rest, () => open(), io);
    if (command === 'monitor') return await monitorCommand(rest, () => open(), io);
    if (command === 'alerts') return await alertsCommand(rest, () => open(), io);
    if (command === 'apiban') return await apibanCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'certs') return await certsCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'acme') return await acmeCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'registrations') return await registrationsCommand(rest, () => open(), io);
    if (command === 'uac') return await uacCommand(rest, () => open(), io);
    if (command === 'media-path') return await mediaPathCommand(rest, () => open(), io);
    if (command === 'media-zone') return await mediaZoneCommand(rest, () => open(), io);
    if (command === 'media-ssh') return await mediaSshCommand(rest, () => open(), io);
    if (command === 'vantage') return await vantageCommand(rest, () => open(), io);
    io.err(unknownCommandLine(command));
    return EXIT_BAD_INPUT;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      // The usage of the command that was misused, not all of them.
      const path = misusedCommandOf(argv);
      io.err(`switchyard: ${error.message}\n\n${path === null ? USAGE : usageOf(path)}`);
      return EXIT_BAD_INPUT;
    }
    // A refusal the user can fix (a file that is not a snapshot, a name taken): exit 2.
    if (error instanceof DomainError) {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof SchemaTooNewError) {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.err(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

async function serve(args: string[], open: (readOnly: boolean, snapshot: string | undefined, secrets: SecretStore) => HostApp, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      'read-only': { type: 'boolean' },
      snapshot: { type: 'string' },
      metrics: { type: 'boolean' },
      'token-file': { type: 'string' },
      'secrets-key': { type: 'string' },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${values.port}".`);
  if (!existsSync(`${RENDERER_DIR}index.html`)) {
    io.err('switchyard: the console UI is not built yet: run `npm run build:ui` (or `npm run serve`, which builds it).\n');
    return EXIT_FAILURE;
  }
  if (values.snapshot !== undefined && values.metrics === true) throw new UsageError('--metrics exports the live fleet\'s probes; a --snapshot host has none.');
  if (values.snapshot !== undefined) readSnapshotMeta(values.snapshot);
  // The token and secrets files are read (or made) before the host opens, so a refused one changes nothing.
  const tokenFile = values['token-file'];
  const token = tokenFile === undefined ? undefined : loadTokenFile(tokenFile);
  const { secrets, note } = serveSecretStore(dataDirOf(args), keyFileOf(values['secrets-key'], process.env), (m) => io.err(`${m}\n`));
  const app = open(values['read-only'] === true, values.snapshot, secrets);
  // Subscribed in the same turn as the host opens, before monitoring (started asynchronously) sends its first probe.
  const metrics = values.metrics === true ? createHostMetrics(app) : null;
  // A browser opens a snapshot it holds by uploading it into the data folder's snapshots folder.
  const snapshotUploads = { folder: path.join(dataDirOf(args), SNAPSHOTS_FOLDER) };
  const web = await startWebHost({
    app,
    port,
    staticDir: RENDERER_DIR,
    snapshotUploads,
    ...(token === undefined ? {} : { token }),
    ...(metrics === null ? {} : { metrics: metrics.render }),
  });
  io.err(`switchyard: ${note}.\n`);
  io.out(`Switchyard listening on ${web.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await web.close();
  metrics?.close();
  await app.close();
  return EXIT_OK;
}
