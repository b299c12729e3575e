import type { ProbeKind } from '../../domain/monitoring/sample';

/** What a check needs to reach one server. */
export interface ProbeTarget {
  serverId: string;
  /** IP address or host name. */
  host: string;
  port: number;
  /** Our own deadline: no answer by then is a loss. */
  deadlineMs: number;
  /** How often this server is probed; the ICMP backend paces its own loop by it. */
  intervalMs: number;
  /** TLS only: SHA-256 fingerprint of a self-signed certificate the user accepted (hex, colons optional). */
  tlsPinSha256?: string | null;
  /** TLS only: the name to verify the certificate against when `host` is an address. */
  tlsServername?: string | null;
}

export interface ProbeResult {
  /** Round-trip milliseconds; null is a loss. */
  rttMs: number | null;
  /** SIP status code of the final response. */
  code?: number;
  /** Why it was lost, for hover details and logs ("refused", "timeout", "certificate not trusted"). */
  error?: string;
  /** When the probe left, UTC ms, when the check knows better than its caller (fping's own loop). */
  at?: number;
}

/** How a probe begun with `Check.start` reports: once, with the target it was given. */
export type ProbeDone = (target: ProbeTarget, result: ProbeResult) => void;

/**
 * One kind of probe. `check` never throws for a network failure (that is a loss with an error);
 * it rejects only when `signal` aborts. A check that paces itself (fping's own loop) also offers
 * `watch`: every result for the target goes to `emit` until `release`, and the scheduler uses
 * that instead of calling `check`. `release` forgets per-server state (a kept connection, an
 * fping target); `close` frees everything the check holds.
 */
export interface Check {
  readonly kind: ProbeKind;
  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult>;
  watch?(target: ProbeTarget, emit: (result: ProbeResult) => void): void;
  /**
   * The lean path the scheduler prefers when a check offers it (with `cancelAll`): no promise and
   * no signal per probe. `done` is called exactly once, unless `cancelAll` or `close` comes first.
   */
  start?(target: ProbeTarget, done: ProbeDone): void;
  /** Ends every probe begun with `start` at once, without calling their `done` (the scheduler's stop). */
  cancelAll?(): void;
  release?(serverId: string): void;
  close(): Promise<void>;
}

export class AbortedError extends Error {
  constructor() {
    super('probe aborted');
    this.name = 'AbortError';
  }
}

/** The losses seen so far, one frozen result per reason (a fleet has a handful: timeout, refused …). */
const losses = new Map<string, ProbeResult>();
const MAX_LOSS_REASONS = 64;

/**
 * A loss. A fleet's thousands of losses a second share a few reasons, so each reason's result is
 * made once and shared (frozen: no one may change what the next probe is handed); past a bound,
 * an unusual reason gets an object of its own.
 */
export const lost = (error: string): ProbeResult => {
  let result = losses.get(error);
  if (result === undefined) {
    result = Object.freeze({ rttMs: null, error });
    if (losses.size < MAX_LOSS_REASONS) losses.set(error, result);
  }
  return result;
};

/**
 * `Check.check` for a check whose probes begin with a callback, as `start` does: `begin` starts
 * the probe with its `done` and an `abort` the check may call itself (when it closes); the
 * promise resolves with the result, or rejects with AbortedError once `signal` aborts first, after
 * `cancel` has ended the probe. Listening starts before `begin`, so a probe that ends at once (a
 * bad port) is still heard.
 */
export function checkByCallback(
  signal: AbortSignal,
  begin: (done: ProbeDone, abort: () => void) => void,
  cancel: (done: ProbeDone) => void,
): Promise<ProbeResult> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<ProbeResult>((resolve, reject) => {
    let finished = false;
    const abort = () => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', abort);
      cancel(done);
      reject(new AbortedError());
    };
    const done: ProbeDone = (_target, result) => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', abort);
      resolve(result);
    };
    signal.addEventListener('abort', abort, { once: true });
    begin(done, abort);
  });
}
