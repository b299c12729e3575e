import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { shellJoin } from '../../domain/ssh/shell-quote';
import type { SshConnection } from './connect';
import { SshError } from './ssh-error';

// Runs one argv on an open connection. The argv is joined by shellJoin, never concatenated, so
// parameters reach the remote program literally. Output streams to the callbacks as it arrives
// and is also kept whole for the audit log. A run that cannot finish normally (timeout, cancel,
// connection lost) resolves with what it printed so far and says why; it does not throw.

export interface ExecOptions {
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed (a list too long for a command line). */
  input?: string;
}

/** How long a stopped command gets to exit after TERM before the run is reported anyway. */
export const STOP_GRACE_MS = 2_000;

export type ExecFailure = 'timeout' | 'cancelled' | 'connection-lost';

export interface ExecResult {
  /** Exit status, or null when the command was killed by a signal or never reported one. */
  code: number | null;
  /** The signal that ended the command (`TERM`, `KILL`), when one did. */
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why the run did not finish on its own; null when it exited (with any code). */
  failure: ExecFailure | null;
  durationMs: number;
}

export function exec(conn: SshConnection, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const line = shellJoin(argv);
  const started = Date.now();
  return new Promise<ExecResult>((resolve, reject) => {
    if (!conn.isOpen()) return reject(new SshError('connection-lost', `The connection to ${conn.label} is closed.`));
    if (options.signal?.aborted) {
      return resolve({ code: null, signal: null, stdout: '', stderr: '', timedOut: false, failure: 'cancelled', durationMs: 0 });
    }
    conn.client.exec(line, (err, channel) => {
      if (err) return reject(new SshError('connection-lost', `Could not start a command on ${conn.label}: ${err.message}`, { cause: err }));
      run(conn, channel, options, started, resolve);
    });
  });
}

function run(
  conn: SshConnection,
  channel: ClientChannel,
  options: ExecOptions,
  started: number,
  resolve: (result: ExecResult) => void,
): void {
  const out = new StringDecoder('utf8');
  const errDecoder = new StringDecoder('utf8');
  let stdout = '';
  let stderr = '';
  let code: number | null = null;
  let exitSignal: string | null = null;
  let failure: ExecFailure | null = null;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;

  const onStdout = (text: string): void => {
    if (text === '') return;
    stdout += text;
    options.onStdout?.(text);
  };
  const onStderr = (text: string): void => {
    if (text === '') return;
    stderr += text;
    options.onStderr?.(text);
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    offClose();
    onStdout(out.end());
    onStderr(errDecoder.end());
    // No exit status and no deliberate stop: the server or the network went away mid-run.
    if (failure === null && code === null && exitSignal === null) failure = 'connection-lost';
    resolve({ code, signal: exitSignal, stdout, stderr, timedOut: failure === 'timeout', failure, durationMs: Date.now() - started });
  };

  // Timeout and cancel ask sshd to TERM the command, then close the channel. sshd keeps a session
  // channel open until its command exits, so if TERM did not end it within the grace period the
  // command gets KILL and the run is reported without waiting further. Processes the command
  // started in the background may outlive it; recipes should not leave any.
  const stop = (why: ExecFailure): void => {
    if (finished || failure !== null) return;
    failure = why;
    clearTimeout(timer);
    sendSignal('TERM');
    channel.close();
    const grace = setTimeout(() => {
      sendSignal('KILL');
      finish();
    }, STOP_GRACE_MS);
    grace.unref();
  };
  const sendSignal = (name: 'TERM' | 'KILL'): void => {
    try {
      channel.signal(name);
    } catch {
      // The channel may already be closing; closing it is what matters.
    }
  };
  const onAbort = (): void => stop('cancelled');

  channel.on('data', (chunk: Buffer) => onStdout(out.write(chunk)));
  channel.stderr.on('data', (chunk: Buffer) => onStderr(errDecoder.write(chunk)));
  channel.on('exit', (exitCode: number | null, signalName?: string) => {
    if (typeof exitCode === 'number') code = exitCode;
    else if (signalName) exitSignal = signalName;
  });
  channel.on('close', finish);
  const offClose = conn.onClose(() => {
    if (failure === null && code === null && exitSignal === null) failure = 'connection-lost';
    finish();
  });
  if (options.timeoutMs !== undefined) timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  if (options.input !== undefined) channel.end(options.input);
  // The signal may have fired while the channel was opening: a listener added now never would.
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
}
