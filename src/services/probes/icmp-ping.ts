// ICMP through the system `ping`, one process per probe, for machines without fping. Run with
// execFile (never a shell: the host is an argument, not part of a command line) and LC_ALL=C so
// the output is the English the parsers read.
import { execFile } from 'node:child_process';
import { parsePing } from '../../domain/ping/index';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';

export type PingPlatform = 'linux' | 'darwin' | 'freebsd' | 'win32';

/** One echo with our deadline, in each system ping's own words. */
export function pingArgs(platform: PingPlatform, host: string, deadlineMs: number): string[] {
  switch (platform) {
    case 'win32':
      return ['-n', '1', '-w', String(Math.max(1, Math.round(deadlineMs))), host];
    case 'darwin':
    case 'freebsd':
      // BSD ping: -W is the wait for a reply in milliseconds.
      return ['-n', '-c', '1', '-W', String(Math.max(1, Math.round(deadlineMs))), host];
    case 'linux':
      // iputils: -W is whole seconds (fractions only in recent versions).
      return ['-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(deadlineMs / 1000))), host];
  }
}

export interface PingCheckOptions {
  command?: readonly string[];
  platform?: PingPlatform;
}

export class PingCheck implements Check {
  readonly kind = 'icmp' as const;
  readonly #command: readonly string[];
  readonly #platform: PingPlatform;

  constructor(options: PingCheckOptions = {}) {
    this.#command = options.command ?? ['ping'];
    this.#platform = options.platform ?? currentPlatform();
  }

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    const [program, ...prefix] = this.#command;
    if (program === undefined) return Promise.resolve(lost('no ping command'));
    if (target.host.startsWith('-')) return Promise.resolve(lost('invalid host'));
    return new Promise<ProbeResult>((resolve, reject) => {
      execFile(
        program,
        [...prefix, ...pingArgs(this.#platform, target.host, target.deadlineMs)],
        // The deadline plus a margin: ping's own -W ends it first unless it hangs on DNS.
        { env: { ...process.env, LC_ALL: 'C' }, signal, timeout: target.deadlineMs + 2_000, windowsHide: true },
        (error, stdout) => {
          if (signal.aborted) return reject(new AbortedError());
          // ping exits 1 when nothing answered: its output still says why.
          const result = parsePing(String(stdout));
          const reply = result.replies.find((r) => r.rttMs !== null && r.error === undefined && !r.duplicate);
          if (reply?.rttMs != null) return resolve({ rttMs: reply.rttMs });
          const why = result.replies.find((r) => r.error !== undefined)?.error ?? result.errors[0];
          resolve(lost(why ?? (error ? 'timeout' : 'no reply')));
        },
      );
    });
  }

  async close(): Promise<void> {}
}

function currentPlatform(): PingPlatform {
  const p = process.platform;
  return p === 'win32' || p === 'darwin' || p === 'freebsd' ? p : 'linux';
}
