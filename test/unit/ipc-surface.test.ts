import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, IPC_PREFIX, METHOD_CHANNELS } from '../../src/contract/channels';
import type { Transport } from '../../src/contract/client';
import { eventNames } from '../../src/contract/events';
import { methodNames } from '../../src/contract/methods';
import type { Result } from '../../src/contract/result';
import { openHost, type HostApp } from '../../src/host/app';
import { createDispatch } from '../../src/host/dispatch';
import { createHandlers, type HandlerDeps } from '../../src/host/handlers';
import { BUILT, ensureElectronBuild, ROOT } from '../helpers/electron-build';

// Pins the IPC surface between the renderer and the host: what the preload lets through, what
// the main process binds, and who may call it. The renderer is untrusted, so every name outside
// the contract and every caller outside our window must be refused.

// electron/ipc.ts imports ipcMain; this stand-in records what it binds.
const ipcMainHandlers = vi.hoisted(() => new Map<string, (event: unknown, input: unknown) => Promise<unknown>>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) => {
      if (ipcMainHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
      ipcMainHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => ipcMainHandlers.delete(channel),
  },
}));
const { bindContract, EVENT_CHANNEL } = await import('../../electron/ipc');

const sorted = (names: readonly string[]) => [...names].sort();

/** Names a hostile or buggy page might try; none is a contract method or event. */
const HOSTILE_NAMES: unknown[] = [
  '',
  'event',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'APP:INFO',
  'app:info ',
  ' app:info',
  `${IPC_PREFIX}app:info`,
  'app:info\u0000',
  'fleet:*',
  '../app:info',
  'fleet:changed-x',
  'shell:open-external',
  null,
  undefined,
  42,
  {},
  ['app:info'],
  { toString: () => 'app:info' },
];

describe('contract channel lists', () => {
  it('METHOD_CHANNELS equals the contract methods, without duplicates', () => {
    expect(sorted(METHOD_CHANNELS)).toEqual(sorted(methodNames));
    expect(new Set(METHOD_CHANNELS).size).toBe(METHOD_CHANNELS.length);
  });

  it('EVENT_CHANNELS equals the contract events, without duplicates', () => {
    expect(sorted(EVENT_CHANNELS)).toEqual(sorted(eventNames));
    expect(new Set(EVENT_CHANNELS).size).toBe(EVENT_CHANNELS.length);
  });

  it('no method shares a name with an event or with the event channel', () => {
    const events = new Set<string>(EVENT_CHANNELS);
    for (const method of METHOD_CHANNELS) {
      expect(events.has(method)).toBe(false);
      expect(`${IPC_PREFIX}${method}`).not.toBe(EVENT_CHANNEL);
    }
  });
});

describe('host handlers', () => {
  it('createHandlers has one handler per contract method, and nothing else', () => {
    // The handlers only close over their services, so stand-ins are enough to list them.
    const deps = { fleet: {}, info: () => ({}) } as unknown as HandlerDeps;
    const handlers = createHandlers(deps);
    expect(sorted(Object.keys(handlers))).toEqual(sorted(methodNames));
    for (const name of methodNames) expect(typeof handlers[name]).toBe('function');
    expect(() => createDispatch(handlers, { readOnlyReason: () => null })).not.toThrow();
  });
});

interface PreloadRun {
  required: string[];
  exposed: Map<string, unknown>;
  invoked: { channel: string; args: unknown[] }[];
  /** Delivers a message on an IPC channel as the main process would. */
  deliver(channel: string, message: unknown): void;
  ipcRenderer: object;
}

/** Runs the built preload with a recording stand-in for `electron`, as the sandbox would. */
function runBuiltPreload(code: string): PreloadRun {
  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const invoked: PreloadRun['invoked'] = [];
  const listeners = new Map<string, ((event: unknown, message: unknown) => void)[]>();
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, data: { channel } } satisfies Result<unknown>);
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  const electron = {
    ipcRenderer,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  };
  const requireStub = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`the preload required ${id}`);
  };
  const module = { exports: {} };
  const wrapped = vm.runInThisContext(`(function (require, module, exports) {\n${code}\n})`, { filename: BUILT.preload }) as (
    require: (id: string) => unknown,
    module: { exports: object },
    exports: object,
  ) => void;
  wrapped(requireStub, module, module.exports);
  return {
    required,
    exposed,
    invoked,
    ipcRenderer,
    deliver: (channel, message) => {
      // The real event object carries `sender: ipcRenderer`; it must never reach the page.
      for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer }, message);
    },
  };
}

describe('built preload (out/preload/index.cjs)', () => {
  let code = '';
  let run: PreloadRun;
  let bridge: Transport;

  beforeAll(async () => {
    await ensureElectronBuild();
    code = readFileSync(BUILT.preload, 'utf8');
    run = runBuiltPreload(code);
    bridge = run.exposed.get('switchyardBridge') as Transport;
  }, 180_000);

  it('requires nothing but electron', () => {
    const requires = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g)].map((match) => match[2]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/\bzod\b/);
    expect(code).not.toMatch(/process\.(binding|dlopen)/);
    expect(run.required).toEqual(['electron']);
  });

  it('uses ipcRenderer only to call on() and invoke(), never hands it out', () => {
    const uses = [...code.matchAll(/ipcRenderer(\s*\.\s*\w+)?/g)].map((match) => (match[1] ?? '').replace(/\s/g, ''));
    expect(uses.length).toBeGreaterThan(0);
    expect(new Set(uses)).toEqual(new Set(['.on', '.invoke']));
    expect(code.match(/exposeInMainWorld/g)).toHaveLength(1);
  });

  it('exposes exactly one object, switchyardBridge, with invoke and on', () => {
    expect([...run.exposed.keys()]).toEqual(['switchyardBridge']);
    expect(sorted(Object.keys(bridge))).toEqual(['invoke', 'on']);
    for (const value of Object.values(bridge)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(run.ipcRenderer);
    }
  });

  it('forwards every contract method to its prefixed channel with the input untouched', async () => {
    for (const method of METHOD_CHANNELS) {
      const input = { probe: method };
      await expect(bridge.invoke(method, input)).resolves.toEqual({ ok: true, data: { channel: `${IPC_PREFIX}${method}` } });
      expect(run.invoked.at(-1)).toEqual({ channel: `${IPC_PREFIX}${method}`, args: [input] });
    }
  });

  it('refuses any other method name before anything is sent', async () => {
    const before = run.invoked.length;
    for (const name of [...HOSTILE_NAMES, ...EVENT_CHANNELS]) {
      await expect(bridge.invoke(name as string, {})).rejects.toThrow(/is not a method of the Switchyard contract/);
    }
    expect(run.invoked.length).toBe(before);
  });

  it('subscribes to contract events and refuses any other name', () => {
    for (const event of EVENT_CHANNELS) expect(typeof bridge.on(event, () => undefined)).toBe('function');
    for (const name of [...HOSTILE_NAMES, ...METHOD_CHANNELS]) {
      expect(() => bridge.on(name as string, () => undefined)).toThrow(/is not an event of the Switchyard contract/);
    }
    expect(() => bridge.on(EVENT_CHANNELS[0], 'not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('delivers the payload alone, stops after unsubscribe, and ignores unknown events', () => {
    const event = EVENT_CHANNELS[0];
    const received: unknown[][] = [];
    const unsubscribe = bridge.on(event, (...args: unknown[]) => received.push(args));
    run.deliver(`${IPC_PREFIX}event`, { event, payload: { entity: 'servers' } });
    expect(received).toEqual([[{ entity: 'servers' }]]);

    run.deliver(`${IPC_PREFIX}event`, { event: 'not:an-event', payload: 1 });
    run.deliver(`${IPC_PREFIX}event`, null);
    run.deliver(`${IPC_PREFIX}event`, 'fleet:changed');
    expect(received).toHaveLength(1);

    unsubscribe();
    run.deliver(`${IPC_PREFIX}event`, { event, payload: { entity: 'zones' } });
    expect(received).toHaveLength(1);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const event = EVENT_CHANNELS[0];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const received: unknown[] = [];
    const offBad = bridge.on(event, () => {
      throw new Error('listener bug');
    });
    const offGood = bridge.on(event, (payload) => received.push(payload));
    run.deliver(`${IPC_PREFIX}event`, { event, payload: { entity: 'all' } });
    expect(received).toEqual([{ entity: 'all' }]);
    expect(error).toHaveBeenCalledOnce();
    offBad();
    offGood();
    error.mockRestore();
  });
});

describe('main-process binding (electron/ipc.ts)', () => {
  const OURS = 'file:///opt/switchyard/out/renderer/index.html';
  const isOurs = (url: string) => url.split('#')[0] === OURS;

  interface FakeFrame {
    url: string;
    parent: FakeFrame | null;
    processId: number;
    frameToken: string;
    detached: boolean;
  }
  const mainFrame: FakeFrame = { url: OURS, parent: null, processId: 7, frameToken: 'main', detached: false };
  const sent: { channel: string; message: unknown }[] = [];
  const contents = {
    mainFrame,
    getURL: () => mainFrame.url,
    send: (channel: string, message: unknown) => sent.push({ channel, message }),
  };
  const window = { isDestroyed: () => false, webContents: contents } as unknown as BrowserWindow;

  let dataDir = '';
  let host: HostApp;
  let unbind: () => void;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ipc-'));
    host = openHost({ dataDir, log: () => undefined });
    unbind = bindContract(host, window, isOurs);
  });
  afterAll(() => {
    unbind();
    host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, input: unknown, event: Partial<IpcMainInvokeEvent>) => {
    const handler = ipcMainHandlers.get(`${IPC_PREFIX}${method}`);
    if (handler === undefined) throw new Error(`no handler for ${method}`);
    return handler(event, input) as Promise<Result<unknown>>;
  };
  const trusted = { sender: contents, senderFrame: mainFrame } as unknown as Partial<IpcMainInvokeEvent>;

  it('binds one handler per contract method and nothing else', () => {
    expect(sorted([...ipcMainHandlers.keys()])).toEqual(sorted(METHOD_CHANNELS.map((method) => `${IPC_PREFIX}${method}`)));
  });

  it('answers our window through the host dispatcher', async () => {
    const result = await call('app:info', {}, trusted);
    expect(result).toMatchObject({ ok: true, data: { name: 'Switchyard', dataDir } });
  });

  it('lets the dispatcher refuse hostile payloads from our window', async () => {
    const polluted = JSON.parse('{"__proto__": {"admin": true}, "name": 5}') as unknown;
    for (const input of [polluted, 'text', 123, [], { name: 'x'.repeat(10_000), extra: true }]) {
      const result = await call('fleet:create-zone', input, trusted);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await call('fleet:list-zones', {}, trusted)).toEqual({ ok: true, data: [] });
  });

  it.each([
    ['no sender frame (destroyed or navigated away)', { sender: contents, senderFrame: null }],
    ['a subframe of our window', { sender: contents, senderFrame: { ...mainFrame, parent: mainFrame, frameToken: 'sub' } }],
    ['a frame showing another page', { sender: contents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } }],
    ['a detached frame', { sender: contents, senderFrame: { ...mainFrame, detached: true } }],
    ['a frame of another process', { sender: contents, senderFrame: { ...mainFrame, processId: 8 } }],
    ['another web contents', { sender: { ...contents }, senderFrame: mainFrame }],
  ])('answers unauthorized to %s', async (_label, event) => {
    const result = await call('fleet:load-demo', {}, event as unknown as Partial<IpcMainInvokeEvent>);
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // Nothing was loaded: the call never reached the host.
    expect(await call('fleet:list-servers', {}, trusted)).toEqual({ ok: true, data: [] });
  });

  it('pushes host events to our window on the event channel', () => {
    sent.length = 0;
    host.events.emit('fleet:changed', { entity: 'servers' });
    expect(sent).toEqual([{ channel: EVENT_CHANNEL, message: { event: 'fleet:changed', payload: { entity: 'servers' } } }]);
  });

  it('pushes nothing while the window shows another page', () => {
    sent.length = 0;
    mainFrame.url = 'https://evil.example/';
    try {
      host.events.emit('fleet:changed', { entity: 'zones' });
    } finally {
      mainFrame.url = OURS;
    }
    expect(sent).toEqual([]);
  });

  it('unbinds every handler', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ipc-'));
    const other = openHost({ dataDir: dir, log: () => undefined });
    try {
      unbind();
      expect(ipcMainHandlers.size).toBe(0);
      // Binding again works (no duplicate-handler error) once the previous binding is gone.
      unbind = bindContract(other, window, isOurs);
      expect(ipcMainHandlers.size).toBe(METHOD_CHANNELS.length);
    } finally {
      unbind();
      other.close();
      rmSync(dir, { recursive: true, force: true });
      unbind = bindContract(host, window, isOurs);
    }
  });
});

it('the preload path in main.ts is the built CommonJS file', () => {
  const main = readFileSync(path.join(ROOT, 'electron', 'main.ts'), 'utf8');
  expect(main).toMatch(/'out',\s*'preload',\s*'index\.cjs'/);
});
