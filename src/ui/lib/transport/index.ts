import type { Transport } from '../../../contract/client';
import { createWebTransport, markAlwaysConnected } from './web';

// The renderer's one way to the host: the Electron preload's bridge when it is there, else the
// loopback web host that served this page.

export { connectionState } from './web';
export type { ConnectionState, ConnectionStatus } from './connection-state';

declare global {
  interface Window {
    /** Exposed by the Electron preload with contextBridge; absent in a plain browser. */
    switchyardBridge?: Transport;
  }
}

let transport: Transport | null = null;

/** One transport per page, however many times it is asked for (one socket, one reconnect loop). */
export function connectTransport(): Transport {
  if (transport !== null) return transport;
  const bridge = window.switchyardBridge;
  if (bridge !== undefined) markAlwaysConnected();
  transport = bridge ?? createWebTransport();
  return transport;
}
