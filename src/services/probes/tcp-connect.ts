import net from 'node:net';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock } from './clock';

/** Time to open a TCP connection to the server's SIP TCP port; refused or no answer is a loss. */
export class TcpConnectCheck implements Check {
  readonly kind = 'tcp' as const;
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock()) {
    this.#clock = clock;
  }

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    return new Promise<ProbeResult>((resolve, reject) => {
      const started = this.#clock.elapsedMs();
      const socket = net.connect({ host: target.host, port: target.port });
      const finish = (outcome: ProbeResult | AbortedError) => {
        this.#clock.clearTimer(timer);
        signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        // A probe only opens the connection: reset it rather than leave it in TIME_WAIT on our
        // side. A socket still connecting is destroyed outright (resetting would wait for it).
        if (socket.readyState === 'open') socket.resetAndDestroy();
        else socket.destroy();
        if (outcome instanceof AbortedError) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = () => finish(new AbortedError());
      const timer = this.#clock.setTimer(() => finish(lost('timeout')), target.deadlineMs);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish({ rttMs: this.#clock.elapsedMs() - started }));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        finish(lost(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message))),
      );
    });
  }

  async close(): Promise<void> {}
}
