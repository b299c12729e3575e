// Finds and loads the sipmmsg addon (native/sipmmsg: batched UDP through sendmmsg/recvmmsg for the
// SIP probes and an epoll TCP connect prober, built by scripts/build-sipmmsg.js). It is optional:
// when it is absent, fails to load or is switched off, the SIP UDP and TCP connect probes use
// Node's own sockets, which give the same results at a higher CPU cost.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An open addon socket; only the addon reads it. */
export type SipMmsgHandle = { readonly __sipmmsg: unique symbol };

/** What native/sipmmsg/sipmmsg.c exports. */
export interface SipMmsgAddon {
  open(family: 4 | 6, bindAddress: string, receiveBufferBytes: number): SipMmsgHandle;
  localPort(socket: SipMmsgHandle): number;
  /** Registers a numeric address and port once; send() names it by the index returned. */
  addTarget(socket: SipMmsgHandle, address: string, port: number): number;
  /** Sends datagrams[i] to targets[i] for i < count with one sendmmsg; how many the kernel took. */
  send(socket: SipMmsgHandle, datagrams: readonly Uint8Array[], targets: Int32Array, count: number): number;
  /**
   * Reads what is waiting with one recvmmsg into equal slots of `into`, one per pair in `meta`:
   * meta[2i] the length (-1 when cut to fit its slot), meta[2i + 1] its age in ms since the kernel
   * received it. Returns how many were read; fewer than the slots means the socket is drained.
   */
  recv(socket: SipMmsgHandle, into: Uint8Array, meta: Float64Array): number;
  close(socket: SipMmsgHandle): void;
  readonly maxBatch: number;
  /** A TCP connect prober with its own epoll descriptor (builds before the TCP prober lack these five). */
  tcpOpen(): SipMmsgHandle;
  /** Starts a non-blocking connect; an immediate failure (ECONNREFUSED, a bad address) comes from the next poll, never thrown. */
  tcpConnect(prober: SipMmsgHandle, family: 4 | 6, address: string, port: number): number;
  /**
   * Finished connects, without waiting: ids[i] and, in meta[2i], its errno (0: connected) and in
   * meta[2i + 1] its round trip in ms (the kernel's handshake measure when connected). Each
   * finished socket is closed with a reset. A full ids array means more may be waiting.
   */
  tcpPoll(prober: SipMmsgHandle, ids: Int32Array, meta: Float64Array): number;
  /** Ends a connect in flight without a result; false when the id is not one. */
  tcpCancel(prober: SipMmsgHandle, id: number): boolean;
  tcpClose(prober: SipMmsgHandle): void;
}

export type AddonLoad = { addon: SipMmsgAddon; file: string } | { addon: null; reason: string };

const ADDON_PATH = path.join('native', 'sipmmsg', 'build', 'sipmmsg.node');
/** The copy scripts/electron-native.js makes for the packaged desktop app (unpacked beside app.asar). */
const PACKAGED_PATH = path.join('.electron-native', 'sipmmsg.node');
/** Set to `node` to keep the probes on Node's sockets even when the addon is built. */
export const ENGINE_ENV = 'SWITCHYARD_SIP_ENGINE';

let cached: AddonLoad | undefined;

/**
 * The addon at `file`, or the one built in this checkout (searched upwards from this module, which
 * runs from src/services/probes in the sources and from out/cli or out/main when bundled).
 */
export function loadSipMmsg(file?: string): AddonLoad {
  if (file === undefined && cached !== undefined) return cached;
  const result = load(file ?? findAddon());
  if (file === undefined) cached = result;
  return result;
}

function findAddon(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up += 1) {
    const unpacked = dir.replace(/([\\/])app\.asar(?=$|[\\/])/, '$1app.asar.unpacked');
    for (const candidate of [path.join(dir, ADDON_PATH), path.join(unpacked, PACKAGED_PATH)]) if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

function load(file: string | undefined): AddonLoad {
  if (process.env[ENGINE_ENV] === 'node') return { addon: null, reason: `${ENGINE_ENV}=node` };
  if (process.platform !== 'linux') return { addon: null, reason: 'sendmmsg and recvmmsg are Linux calls' };
  if (file === undefined) return { addon: null, reason: `${ADDON_PATH} is not built (npm run build:sipmmsg)` };
  try {
    const addon = createRequire(import.meta.url)(file) as Partial<SipMmsgAddon>;
    const missing = (['open', 'localPort', 'addTarget', 'send', 'recv', 'close'] as const).filter(
      (name) => typeof addon[name] !== 'function',
    );
    if (missing.length > 0 || typeof addon.maxBatch !== 'number') {
      return { addon: null, reason: `${file} is not the sipmmsg addon (missing ${missing.join(', ') || 'maxBatch'})` };
    }
    return { addon: addon as SipMmsgAddon, file };
  } catch (error) {
    return { addon: null, reason: `${file} did not load: ${error instanceof Error ? error.message : String(error)}` };
  }
}
