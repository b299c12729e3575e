import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, IPC_PREFIX, METHOD_CHANNELS } from '../src/contract/channels';
// Types only: erased from the bundle, which must contain nothing but this file, the channel
// names and `require('electron')` (a test scans out/preload/index.cjs for it).
import type { Transport } from '../src/contract/client';
import type { Result } from '../src/contract/result';

// The sandboxed preload is the renderer's only door to the host. It exposes two functions, never
// ipcRenderer itself, and refuses names the contract does not list before anything is sent: the
// host checks again, but a typo or a hostile script fails here first with a clear message.

const METHODS: ReadonlySet<string> = new Set(METHOD_CHANNELS);
const EVENTS: ReadonlySet<string> = new Set(EVENT_CHANNELS);
const EVENT_CHANNEL = `${IPC_PREFIX}event`;

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// One IPC listener for all events. The IpcRendererEvent is never handed on: its `sender` is
// ipcRenderer, which would give the page the raw IPC API.
ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !EVENTS.has(event)) return;
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      // One failing listener must not starve the others.
      console.error(`Switchyard: a listener for ${event} failed`, error);
    }
  }
});

const bridge = {
  invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (typeof method !== 'string' || !METHODS.has(method)) {
      return Promise.reject(new Error(`Switchyard: ${describe(method)} is not a method of the Switchyard contract.`));
    }
    return ipcRenderer.invoke(`${IPC_PREFIX}${method}`, input) as Promise<Result<unknown>>;
  },
  on(event: string, listener: Listener): () => void {
    if (typeof event !== 'string' || !EVENTS.has(event)) {
      throw new Error(`Switchyard: ${describe(event)} is not an event of the Switchyard contract.`);
    }
    if (typeof listener !== 'function') throw new TypeError('Switchyard: an event listener must be a function.');
    let set = listeners.get(event);
    if (set === undefined) {
      set = new Set();
      listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      listeners.get(event)?.delete(listener);
    };
  },
} satisfies Transport;

function describe(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : `a value of type ${typeof name}`;
}

contextBridge.exposeInMainWorld('switchyardBridge', bridge);
