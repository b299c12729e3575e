// SIP OPTIONS from a vantage server: one long-lived shell loop over the SSH pool that, every
// period, runs one `sipsak` per target at once and prints one line per result. Nothing is
// installed on the server; sipsak is the server's own. The URIs travel as positional arguments
// (quoted by exec's shellJoin, read as "$u" by the loop), never as part of the script.
import { parseSipLoopLine, type SipsakResult } from '../../domain/vantage/sipsak-result';
import { LineSplitter } from '../probes/fping-output';
import type { SshConnection } from '../ssh/connect';
import { exec, type ExecResult } from '../ssh/exec';

/**
 * $1 the period in seconds, $2 sipsak's T1 (the one transmission's deadline, ms), then the URIs.
 * Per target: `-A 1` makes sipsak time the round trip properly (without it 0.9.8 prints about
 * 0.01 ms for any answer), `-D 1` sends once (a retransmission would blur the figure), `-d`
 * takes a redirect as the answer it is. Each result is cut to 3,000 bytes and put on one line, so
 * each printf is one write below the pipe's atomic size and lines of parallel runs never mix.
 * The sleep runs beside the probes, so a period is the longer of the two, not their sum. The tick
 * after each period is the loop's own write: once the channel is gone it fails (or SIGPIPE ends
 * the shell), so a loop whose SSH session ended never outlives it by more than a period.
 */
export const SIP_LOOP = [
  'echo "switchyard-sip-pid $$"',
  'p=$1; t1=$2; shift 2',
  'while :; do',
  '  i=0',
  '  for u in "$@"; do',
  '    ( out=$(LC_ALL=C sipsak -A 1 -vv -d -Z "$t1" -D 1 -s "$u" 2>&1 | head -c 3000 | tr "\\r\\n" "  "); printf "switchyard-sip %s %s\\n" "$i" "$out" ) &',
  '    i=$((i + 1))',
  '  done',
  '  sleep "$p" &',
  '  wait',
  '  printf "switchyard-sip-tick\\n" || exit 0',
  'done',
].join('\n');

const PID_LINE = /^switchyard-sip-pid (\d+)$/;
const TICK = 'switchyard-sip-tick';
/** Our own lines are at most ~3 KB; anything far longer is not from the loop. */
const MAX_LINE = 8_000;

export interface SipLoopOptions {
  uris: readonly string[];
  intervalMs: number;
  /** sipsak's deadline for an answer (T1 with one transmission). */
  timeoutMs: number;
  signal: AbortSignal;
  onStarted(remotePid: number): void;
  onResult(index: number, result: SipsakResult): void;
  /** A line that is not a result we can read (sipsak missing mid-run, a cut line): counted, ignored. */
  onUnreadable(line: string): void;
}

/** Runs the loop until the signal, the connection or the remote shell ends it. */
export function runSipLoop(conn: SshConnection, o: SipLoopOptions): Promise<ExecResult> {
  const lines = new LineSplitter();
  const periodSec = String(Math.max(1, Math.round(o.intervalMs / 1_000)));
  const onLine = (line: string): void => {
    const pid = PID_LINE.exec(line);
    if (pid) return o.onStarted(Number(pid[1]));
    if (line === TICK) return;
    const parsed = line.length > MAX_LINE ? null : parseSipLoopLine(line);
    if (parsed === null || parsed.index >= o.uris.length) return o.onUnreadable(line.slice(0, 200));
    o.onResult(parsed.index, parsed.result);
  };
  return exec(conn, ['sh', '-c', SIP_LOOP, 'switchyard-sip', periodSec, String(Math.round(o.timeoutMs)), ...o.uris], {
    signal: o.signal,
    onStdout: (chunk) => lines.push(chunk, onLine),
  });
}
