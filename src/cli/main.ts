import { defaultDataDir } from '../host/data-dir';
import type { HostApp } from '../host/app';
import type { SecretStore } from '../services/secrets/secret-store';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, processIo, UsageError, type Io } from './io';
import { DomainError } from '../domain/errors';
import { dataDirOf } from './data-arg';
import { globalUsage, helpRequest, misusedCommandOf, unknownCommandLine, usageOf, versionLine } from './command-help';

// Each command's module is imported only when that command runs (and the host, which loads every
// service, only by the commands that open it): node then loads and compiles what one command
// needs, not the whole application, at every start.

// Every line of it comes from the one command list (command-list.ts), as do `help` and the completions.
const USAGE = globalUsage(defaultDataDir());

/** The commands that open the whole host (checked before loading it, so a typo loads nothing). */
const HOST_COMMANDS = new Set([
  'serve',
  'snapshot',
  'ping',
  'mtr',
  'advise',
  'limits',
  'silence',
  'monitor',
  'alerts',
  'apiban',
  'certs',
  'acme',
  'registrations',
  'uac',
  'media-path',
  'media-zone',
  'media-ssh',
  'vantage',
  'audit',
  'user',
]);

type OpenHost = (readOnly?: boolean, snapshot?: string, monitoring?: boolean, secrets?: SecretStore) => HostApp;

/** Loads the host module (every service) and returns how this command opens it. */
async function hostOpener(dataDir: string): Promise<OpenHost> {
  const { openHost } = await import('../host/app');
  return (readOnly = false, snapshot, monitoring = false, secrets) =>
    openHost({
      dataDir,
      readOnly,
      monitoring,
      actions: { background: monitoring, origin: monitoring ? 'web' : 'cli' },
      ...(snapshot === undefined ? {} : { snapshot }),
      ...(secrets ? { secrets } : {}),
    });
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
    // These need no host (fleet reads open only the store; `fleet import` opens the host itself).
    if (command === 'demo') return await (await import('./demo-command')).demoCommand(rest, io);
    if (command === 'parse') return await (await import('./parse-command')).parseCommand(rest, io);
    if (command === 'probe') return await (await import('./probe-commands')).probeCommand(rest, io);
    if (command === 'fleet') {
      const access = {
        openApp: async () => (await hostOpener(dataDir))(),
        openReader: async () => (await import('./fleet-reader')).openFleetReader(dataDir),
      };
      return await (await import('./fleet-commands')).fleetCommand(rest, access, io);
    }
    if (!HOST_COMMANDS.has(command)) {
      io.err(unknownCommandLine(command));
      return EXIT_BAD_INPUT;
    }
    const open = await hostOpener(dataDir);
    // Only the long-running host probes the fleet; one-shot commands open and close quickly.
    if (command === 'serve')
      return await (
        await import('./serve-command')
      ).serve(rest, (readOnly, snapshot, secrets) => open(readOnly, snapshot, true, secrets), io);
    if (command === 'snapshot')
      return await (await import('./snapshot-commands')).snapshotCommand(rest, io, { dataDir, openApp: () => open() });
    if (command === 'ping' || command === 'mtr')
      return await (await import('./tools-commands')).toolCommand(command, rest, io, { openApp: () => open(), dataDir });
    if (command === 'parse') return await (await import('./parse-command')).parseCommand(rest, io);
    if (command === 'advise') return await (await import('./platform-commands')).adviseCommand(rest, () => open(), io);
    if (command === 'limits') return await (await import('./platform-commands')).limitsCommand(rest, () => open(), io);
    if (command === 'probe') return await (await import('./probe-commands')).probeCommand(rest, io);
    if (command === 'silence') return await (await import('./alert-commands')).silenceCommand(rest, () => open(), io);
    if (command === 'monitor') return await (await import('./monitor-commands')).monitorCommand(rest, () => open(), io);
    if (command === 'alerts') return await (await import('./alert-commands')).alertsCommand(rest, () => open(), io);
    if (command === 'apiban')
      return await (
        await import('./apiban-commands')
      ).apibanCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'certs')
      return await (await import('./certs-commands')).certsCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'acme')
      return await (await import('./certs-commands')).acmeCommand(rest, (secrets) => open(false, undefined, false, secrets), io, dataDir);
    if (command === 'registrations') return await (await import('./registrations-commands')).registrationsCommand(rest, () => open(), io);
    if (command === 'uac') return await (await import('./uac-commands')).uacCommand(rest, () => open(), io);
    if (command === 'media-path') return await (await import('./media-commands')).mediaPathCommand(rest, () => open(), io);
    if (command === 'media-zone') return await (await import('./media-commands')).mediaZoneCommand(rest, () => open(), io);
    if (command === 'media-ssh') return await (await import('./media-commands')).mediaSshCommand(rest, () => open(), io);
    if (command === 'vantage') return await (await import('./vantage-commands')).vantageCommand(rest, () => open(), io);
    if (command === 'user') return await (await import('./user-commands')).userCommand(rest, () => open(), io);
    if (command === 'audit') return await (await import('./audit-commands')).auditCommand(rest, () => open(), io);
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
    // By name: the migrations module that defines it is loaded only by the commands that open a store.
    if (error instanceof Error && error.name === 'SchemaTooNewError') {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.err(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
