// One vantage server probing its targets: a single long-lived `fping -l` run over the shared SSH
// pool, its lines read as they arrive and turned into samples stored under (this server, target);
// beside it, where the server has sipsak, a SIP OPTIONS loop to the switches (sip-loop.ts) on the
// same connection, stored as sip-udp samples. The first of the two to end ends both.
// Nothing is installed on the server. A stream that ends (fping killed, connection lost, server
// rebooted) reconnects with backoff and says so; a refusal no retry can fix (a changed host key,
// fping missing) stops it with the reason, naming the server, until the operator acts.
import type { VantageState } from '../../contract/vantage-methods';
import { scanFpingLine } from '../../domain/monitoring/fping-line';
import type { Sample } from '../../domain/monitoring/sample';
import { backoffMs, type PlanTarget } from '../../domain/vantage/plan';
import { sipUri, type SipsakResult } from '../../domain/vantage/sipsak-result';
import { LineSplitter } from '../probes/fping-output';
import type { SshConnection } from '../ssh/connect';
import { exec, type ExecResult } from '../ssh/exec';
import type { PooledConnection } from '../ssh/pool';
import { SshError } from '../ssh/ssh-error';
import { runSipLoop } from './sip-loop';

export interface VantageSource {
  id: string;
  alias: string;
  ip: string;
}

export interface StreamStatus {
  state: VantageState;
  reason: string;
  since: number;
  attempt: number;
  retryAt: number | null;
  sipTool: 'sipsak' | 'sipp' | null;
  /** The OPTIONS sender this stream runs (sipsak), or null: ICMP only, and `sipNote` says why. */
  sipSender: 'sipsak' | null;
  sipNote: string;
  /** SIP samples stored since the stream started (the ICMP ones are `samples`). */
  sipSamples: number;
  /** Lines of the SIP loop that were no result we could read: counted and ignored. */
  unreadableLines: number;
  fpingVersion: string | null;
  samples: number;
  lastSampleAt: number | null;
  /** The remote fping's pid while streaming (tests end it to see the reconnect). */
  remotePid: number | null;
  /** The remote SIP loop's shell pid while it runs. */
  sipPid: number | null;
}

export interface VantageStreamOptions {
  source: VantageSource;
  targets: readonly PlanTarget[];
  intervalMs: number;
  acquire(signal: AbortSignal): Promise<PooledConnection>;
  onSample(sample: Sample): void;
  onStatus(status: StreamStatus): void;
  /** Words for a host-key prompt waiting on this server's connection, or null. */
  hostKeyWaiting?(): string | null;
  now?: () => number;
  /** First reconnect delay; doubles up to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** Looks for the tools once per connection; a fixed script, nothing of ours interpolated. */
const PREFLIGHT = 'for t in fping sipsak sipp; do command -v "$t" >/dev/null 2>&1 && echo "have $t"; done; fping -v 2>&1 | head -n 1';
/** Prints the shell's pid, then becomes fping with the arguments passed after it (never parsed as script). */
const STREAM = 'echo "switchyard-vantage-pid $$"; exec env LC_ALL=C fping "$@"';
const PID_LINE = /^switchyard-vantage-pid (\d+)$/;

class Refusal extends Error {}

export class VantageStream {
  readonly #o: VantageStreamOptions;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  readonly #byAddress = new Map<string, string[]>();
  /** SIP URIs in the order the loop gets them, each with the series ids it is stored under. */
  readonly #sip: { uri: string; ids: string[] }[] = [];
  /** SIP targets left to ICMP because sipsak cannot reach them (it takes no IPv6 address). */
  readonly #sipV6: number;
  #status: StreamStatus;
  #done: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;

  constructor(options: VantageStreamOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    for (const t of options.targets) this.#byAddress.set(t.address, [...(this.#byAddress.get(t.address) ?? []), t.id]);
    const byUri = new Map<string, string[]>();
    let v6 = 0;
    for (const t of options.targets) {
      if (t.sipPort === null) continue;
      if (t.address.includes(':')) v6 += 1;
      else byUri.set(sipUri(t.address, t.sipPort), [...(byUri.get(sipUri(t.address, t.sipPort)) ?? []), t.id]);
    }
    for (const [uri, ids] of [...byUri].sort(([a], [b]) => a.localeCompare(b))) this.#sip.push({ uri, ids });
    this.#sipV6 = v6;
    this.#status = {
      state: 'connecting',
      reason: '',
      since: this.#now(),
      attempt: 0,
      retryAt: null,
      sipTool: null,
      sipSender: null,
      sipNote: 'Not checked yet.',
      sipSamples: 0,
      unreadableLines: 0,
      fpingVersion: null,
      samples: 0,
      lastSampleAt: null,
      remotePid: null,
      sipPid: null,
    };
  }

  get status(): StreamStatus {
    return { ...this.#status };
  }

  get label(): string {
    return `${this.#o.source.alias} (${this.#o.source.ip})`;
  }

  start(): void {
    this.#done = this.#loop();
  }

  /** Ends the remote fping and every timer; resolves once the stream has let go of its connection. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#done;
    this.#set('stopped', '');
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    if (this.#byAddress.size === 0) {
      this.#set('failed', `${this.label} has no targets: add switches to its cluster, RTP servers or addresses in the vantage settings.`);
      return;
    }
    while (!signal.aborted) {
      let reason: string;
      try {
        reason = await this.#once(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof Refusal || (error instanceof SshError && error.code.startsWith('host-key'))) {
          // A changed or refused host key is never retried on its own, as for actions.
          this.#set('failed', error.message);
          return;
        }
        reason = error instanceof Error ? error.message : String(error);
      }
      if (signal.aborted) return;
      const attempt = this.#status.attempt + 1;
      const delay = backoffMs(attempt, this.#o.backoffBaseMs, this.#o.backoffMaxMs);
      const retryAt = this.#now() + delay;
      this.#status.attempt = attempt;
      this.#status.retryAt = retryAt;
      this.#set('retrying', `${reason} Reconnecting in ${formatDelay(delay)} (attempt ${attempt}).`);
      await this.#sleep(delay);
      this.#status.retryAt = null;
    }
  }

  /** One connection's life: preflight, then the stream until it ends. Returns why it ended. */
  async #once(signal: AbortSignal): Promise<string> {
    this.#set('connecting', this.#status.attempt > 0 ? this.#status.reason : '');
    const lease = await this.#acquire(signal);
    try {
      const tools = await exec(lease.connection, ['sh', '-c', PREFLIGHT], { signal, timeoutMs: 20_000 });
      if (signal.aborted) return 'stopped';
      if (tools.failure !== null) return `Checking for fping on ${this.label} did not finish (${tools.failure}).`;
      const have = new Set([...tools.stdout.matchAll(/^have (\S+)$/gm)].map((m) => m[1]));
      this.#status.sipTool = have.has('sipsak') ? 'sipsak' : have.has('sipp') ? 'sipp' : null;
      if (!have.has('fping')) {
        throw new Refusal(
          `fping is not installed on ${this.label} (looked in the PATH of ${lease.connection.label}): ICMP from this vantage point needs it there. Install it (Debian/Ubuntu: apt-get install fping), then save the vantage settings to try again.`,
        );
      }
      this.#status.fpingVersion = /Version\s+(\S+)/i.exec(tools.stdout)?.[1] ?? null;
      this.#chooseSender(have.has('sipsak'), have.has('sipp'));
      return await this.#both(lease.connection, signal);
    } finally {
      lease.release();
    }
  }

  async #acquire(signal: AbortSignal): Promise<PooledConnection> {
    // While the pool waits for the operator to confirm an unknown key, the status says so.
    const watch = setInterval(() => {
      const waiting = this.#o.hostKeyWaiting?.() ?? null;
      if (waiting !== null && this.#status.reason !== waiting) this.#set('connecting', waiting);
    }, 250);
    // The pool does not give up a connection that waits for a host-key answer when asked to; a
    // stopped stream must not wait minutes for that answer, so it lets go now and hands the
    // connection back whenever it comes.
    const pending = this.#o.acquire(signal);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(new Error('stopped'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([pending, aborted]);
    } catch (error) {
      if (signal.aborted)
        pending.then(
          (lease) => lease.release(),
          () => undefined,
        );
      throw error;
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async #stream(conn: SshConnection, signal: AbortSignal): Promise<string> {
    const interval = this.#o.intervalMs;
    // A reply later than the period is as good as lost for a latency chart; fping needs -t <= -p.
    const timeout = Math.max(100, Math.min(interval, 2_000));
    const addresses = [...this.#byAddress.keys()].sort();
    const spacing = Math.min(Math.max(Math.floor(interval / addresses.length), 1), 100);
    const args = ['-l', '-p', String(interval), '-t', String(timeout), '-i', String(spacing), ...addresses];
    const lines = new LineSplitter();
    let stderrTail = '';
    const result: ExecResult = await exec(conn, ['sh', '-c', STREAM, 'switchyard-vantage', ...args], {
      signal,
      onStdout: (chunk) => lines.push(chunk, (line) => this.#onLine(line, timeout)),
      onStderr: (chunk) => {
        stderrTail = (stderrTail + chunk).slice(-400);
      },
    });
    this.#status.remotePid = null;
    if (signal.aborted) return 'stopped';
    const lastError = stderrTail.trim().split('\n').pop()?.trim() ?? '';
    if (result.failure === 'connection-lost') return `The SSH connection to ${this.label} was lost.`;
    if (result.code === 127) return `fping could not be started on ${this.label}.`;
    if (result.signal !== null) return `fping on ${this.label} was killed by ${result.signal}.`;
    if (result.code === null) return `fping on ${this.label} stopped (killed by a signal).`;
    // The remote shell reports a signal as 128 + its number.
    if (result.code > 128 && result.code < 160) return `fping on ${this.label} was killed (signal ${result.code - 128}).`;
    return `fping on ${this.label} exited with code ${result.code}${lastError === '' ? '' : `: ${lastError}`}.`;
  }

  /** Says which sender runs, or why none does, in words for the status. */
  #chooseSender(sipsak: boolean, sipp: boolean): void {
    const v6 = this.#sipV6 > 0 ? ` ${this.#sipV6} IPv6 target(s) stay ICMP only: sipsak takes no IPv6 address.` : '';
    if (this.#sip.length === 0) {
      this.#status.sipSender = null;
      this.#status.sipNote =
        this.#sipV6 > 0
          ? `none: ICMP only.${v6}`
          : 'none: ICMP only — no SIP targets (OPTIONS go to switches; RTP servers and added addresses are probed by ICMP).';
    } else if (sipsak) {
      this.#status.sipSender = 'sipsak';
      this.#status.sipNote = `sipsak: one OPTIONS per period over UDP to ${this.#sip.length} target(s).${v6}`;
    } else {
      this.#status.sipSender = null;
      this.#status.sipNote = sipp
        ? `none: ICMP only — sipsak is not installed on ${this.label} (sipp is, but Switchyard sends OPTIONS with sipsak; apt-get install sipsak).`
        : `none: ICMP only — sipsak is not installed on ${this.label} (apt-get install sipsak).`;
    }
  }

  /** fping and, when there is a sender, the SIP loop on one connection; the first to end ends both. */
  async #both(conn: SshConnection, signal: AbortSignal): Promise<string> {
    if (this.#status.sipSender === null) return this.#stream(conn, signal);
    const pair = new AbortController();
    const onAbort = (): void => pair.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const icmp = this.#stream(conn, pair.signal);
      const sip = this.#sipStream(conn, pair.signal);
      const first = await Promise.race([icmp, sip]);
      pair.abort();
      await Promise.allSettled([icmp, sip]);
      return first;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async #sipStream(conn: SshConnection, signal: AbortSignal): Promise<string> {
    const timeoutMs = Math.max(100, Math.min(this.#o.intervalMs, 2_000));
    const result = await runSipLoop(conn, {
      uris: this.#sip.map((t) => t.uri),
      intervalMs: this.#o.intervalMs,
      timeoutMs,
      signal,
      onStarted: (pid) => {
        this.#status.sipPid = pid;
      },
      onResult: (index, r) => this.#onSip(index, r, timeoutMs),
      onUnreadable: () => {
        this.#status.unreadableLines += 1;
      },
    });
    this.#status.sipPid = null;
    if (signal.aborted) return 'stopped';
    if (result.failure === 'connection-lost') return `The SSH connection to ${this.label} was lost.`;
    return `The SIP OPTIONS loop on ${this.label} ended (${result.code === null ? `signal ${result.signal ?? 'unknown'}` : `exit code ${result.code}`}).`;
  }

  #onSip(index: number, r: SipsakResult, timeoutMs: number): void {
    const target = this.#sip[index];
    if (!target) return;
    const rttMs = r.kind === 'answered' ? r.rttMs : null;
    // Dated when the OPTIONS left, by this host's clock (as the ICMP samples are).
    const at = Math.round(this.#now() - (rttMs ?? timeoutMs));
    for (const id of target.ids) {
      this.#o.onSample({
        serverId: id,
        kind: 'sip-udp',
        at,
        rttMs,
        ...(r.kind === 'answered' ? { code: r.code } : {}),
        source: this.#o.source.id,
      });
    }
    this.#status.sipSamples += target.ids.length;
    this.#status.lastSampleAt = Math.max(this.#status.lastSampleAt ?? 0, at);
  }

  #onLine(line: string, timeoutMs: number): void {
    const pid = PID_LINE.exec(line);
    if (pid) {
      this.#status.remotePid = Number(pid[1]);
      this.#set('streaming', '');
      return;
    }
    const parsed = scanFpingLine(line);
    if (!parsed) return;
    const ids = this.#byAddress.get(parsed.target);
    if (!ids) return;
    // Dated by this host's clock, not the server's (-D): a vantage server's clock may be off, and
    // SSH hands each line over as fping prints it. A loss is dated when its probe left.
    const at = Math.round(this.#now() - (parsed.rttMs ?? timeoutMs));
    for (const id of ids) this.#o.onSample({ serverId: id, kind: 'icmp', at, rttMs: parsed.rttMs, source: this.#o.source.id });
    this.#status.samples += ids.length;
    this.#status.lastSampleAt = at;
    // A stream that delivers has recovered: the next drop starts the backoff from the beginning.
    if (this.#status.attempt > 0) {
      this.#status.attempt = 0;
      this.#set('streaming', '');
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #set(state: VantageState, reason: string): void {
    const changed = state !== this.#status.state || reason !== this.#status.reason;
    if (state !== this.#status.state) this.#status.since = this.#now();
    this.#status.state = state;
    this.#status.reason = reason;
    if (changed) this.#o.onStatus(this.status);
  }
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
