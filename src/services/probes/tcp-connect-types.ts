// What the TCP connect check (tcp-connect.ts) and its engines (Node's sockets there, the addon's
// prober in tcp-connect-addon.ts) share: one probe in flight and the connector that runs it.
import type net from 'node:net';
import type { ProbeDone, ProbeTarget } from './check';

export type TcpConnectEngine = 'epoll' | 'node';

/** One connect in flight. The engines keep their own handle of it in `id` or `socket`. */
export interface TcpProbe {
  target: ProbeTarget;
  done: ProbeDone;
  /** The clock's monotonic ms when the probe began. */
  startedAt: number;
  /** Set for probes begun by check(): close() rejects them; start() probes just end. */
  abort: (() => void) | null;
  /** The addon's id of the connect; -1 when it has none. */
  id: number;
  socket: net.Socket | null;
}

/** What connects for the check: results go to the `finish` it was made with, once per probe not cancelled. */
export interface TcpConnector {
  readonly engine: TcpConnectEngine;
  connect(probe: TcpProbe, address: string, family: 4 | 6): void;
  /** Ends a connect without a result. */
  cancel(probe: TcpProbe): void;
  /** Hands over every result already known (the addon's, waiting for its poll). */
  collect(): void;
  close(): void;
}
