// `switchyard ping` and `switchyard mtr`: the same validation, runners and parsers as the
// console's Tools page, with replies printed as they arrive; from this workstation, or from a
// fleet server over SSH (--from).
import { parseArgs } from 'node:util';
import { DomainError } from '../domain/errors';
import { checkTarget } from '../domain/tools';
import type { HostApp } from '../host/app';
import { SshError } from '../services/ssh/ssh-error';
import { createLocalRunner, runMtr, runPing, ToolError, type RunOutcome, type ToolRunner } from '../services/tools';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { openRemoteSource, type RemoteSource } from './remote-source';
import { json, mtrJson, mtrText, pingJson, pingReplyLine, pingSummaryText } from './tool-output';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const TOOLS_USAGE = usageOf('ping', 'mtr');

export interface ToolsDeps {
  /** Where the argv runs; the local runner by default. Tests inject one to watch what would start. */
  runner?: ToolRunner;
  /** Cancels the run (Ctrl-C by default). */
  signal?: AbortSignal;
  /** The fleet and data folder, for --from SERVER. */
  openApp?: () => HostApp;
  dataDir?: string;
}

const OPTIONS = {
  count: { type: 'string' },
  interval: { type: 'string' },
  'max-hops': { type: 'string' },
  from: { type: 'string' },
  json: { type: 'boolean' },
  data: { type: 'string' },
} as const;

/** A number option as typed: left for zod to range-check, refused here only when it is not a number. */
function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${value}".`);
  return n;
}

export async function toolCommand(tool: 'ping' | 'mtr', args: string[], io: Io, deps: ToolsDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS, strict: true });
  const [target, ...extra] = positionals;
  if (target === undefined) throw new UsageError(`${tool} needs a TARGET (a host name or an IP address).`);
  if (extra.length > 0) throw new UsageError(`${tool} takes one TARGET; also got ${JSON.stringify(extra.join(' '))}.`);
  if (tool === 'mtr' && values.interval !== undefined) throw new UsageError('mtr has no --interval here: it probes once a second.');
  if (tool === 'ping' && values['max-hops'] !== undefined) throw new UsageError('--max-hops is for mtr.');
  // The target is checked before anything else may start a process or open a connection.
  const check = checkTarget(target);
  if (!check.ok) {
    io.err(`switchyard: ${check.reason}\n`);
    return EXIT_BAD_INPUT;
  }
  const count = numberOption('count', values.count);
  const interval = numberOption('interval', values.interval);
  const maxHops = numberOption('max-hops', values['max-hops']);
  const { signal, release } = cancellation(deps.signal);
  let remote: RemoteSource | null = null;
  try {
    if (values.from !== undefined && deps.runner === undefined) {
      if (!deps.openApp || deps.dataDir === undefined)
        throw new UsageError('--from needs the fleet: run it as `switchyard` with --data DIR if not the default.');
      const opened = await openRemoteSource(values.from, deps.openApp, deps.dataDir, io, signal);
      if ('unknown' in opened) {
        io.err(`switchyard: ${opened.unknown}\n`);
        return EXIT_BAD_INPUT;
      }
      remote = opened;
    }
    const runner = deps.runner ?? remote?.runner ?? createLocalRunner();
    if (tool === 'ping') {
      const run = await runPing({
        target,
        runner,
        signal,
        params: { ...(count === undefined ? {} : { count }), ...(interval === undefined ? {} : { intervalS: interval }) },
        ...(values.json ? {} : { onReply: (reply) => io.out(pingReplyLine(reply)) }),
      });
      return finish(run, io, values.json === true, () =>
        values.json ? json(pingJson(run.result)) : `\n${pingSummaryText(run.result.summary)}`,
      );
    }
    const run = await runMtr({
      target,
      runner,
      signal,
      params: { ...(count === undefined ? {} : { count }), ...(maxHops === undefined ? {} : { maxHops }) },
      ...(values.json
        ? {}
        : {
            onHops: (hops, change) => {
              if (change.kind !== 'reply') return;
              // Probes sent past the destination come back from it; the table folds them into its hop.
              const number = Math.min(change.hop, hops.length);
              io.out(`hop ${number}  ${hops[number - 1]?.host ?? '???'}  ${change.rttMs ?? '-'} ms\n`);
            },
          }),
    });
    return finish(run, io, values.json === true, () => (values.json ? json(mtrJson(run.result)) : `\n${mtrText(run.result, 'mtr')}`));
  } catch (error) {
    if (error instanceof DomainError) {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ToolError || error instanceof SshError) {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  } finally {
    remote?.close();
    release();
  }
}

function finish<R>(run: RunOutcome<R>, io: Io, asJson: boolean, render: () => string): number {
  if (run.status === 'failed') {
    io.err(`switchyard: ${run.error ?? 'the run failed'}\n`);
    return EXIT_FAILURE;
  }
  io.out(render());
  if (run.status === 'cancelled') {
    if (!asJson) io.out('(cancelled)\n');
    io.err('switchyard: cancelled; the result above is what arrived before.\n');
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

/**
 * Ctrl-C cancels the run: the tool is killed and waited for, and what arrived is printed. A second
 * Ctrl-C changes nothing (the kill is already under way, SIGKILL follows SIGTERM within 2 s); were
 * it to kill us instead, a remote or backgrounded tool could be left running without us.
 */
function cancellation(given: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  if (given) return { signal: given, release: () => undefined };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
