import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_PREFIX, METHOD_CHANNELS } from '../src/contract/channels';
import type { Result } from '../src/contract/result';
import type { HostApp } from '../src/host/app';
import type { OriginCheck } from './security';

/** The single channel on which the host pushes events: `{ event, payload }`. */
export const EVENT_CHANNEL = `${IPC_PREFIX}event`;

const UNAUTHORIZED: Result<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'This call did not come from the Switchyard window and was refused.' },
};

/**
 * A call is answered only when it comes from the main frame of our own window, currently showing
 * our own page. A subframe, another window, or our window after a navigation it should never
 * have made all get `unauthorized`, whatever they send.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow, isOurs: OriginCheck): boolean {
  if (window.isDestroyed()) return false;
  const contents = window.webContents;
  const frame = event.senderFrame;
  if (event.sender !== contents || frame === null || frame.detached) return false;
  const main = contents.mainFrame;
  return frame.parent === null && frame.processId === main.processId && frame.frameToken === main.frameToken && isOurs(frame.url);
}

/**
 * Binds every contract method to `ipcMain.handle(IPC_PREFIX + method)`. The input is passed to
 * the host's dispatcher untouched: the dispatcher validates it against the contract, so the
 * shell never decides what is a valid call. Returns a function that unbinds everything.
 */
export function bindContract(host: HostApp, window: BrowserWindow, isOurs: OriginCheck): () => void {
  for (const method of METHOD_CHANNELS) {
    ipcMain.handle(`${IPC_PREFIX}${method}`, (event, input: unknown) =>
      isTrustedSender(event, window, isOurs) ? host.dispatch(method, input) : Promise.resolve(UNAUTHORIZED),
    );
  }
  const unsubscribe = host.events.on((event, payload) => {
    // Events go to our window only, and only while it shows our page.
    if (window.isDestroyed() || !isOurs(window.webContents.getURL())) return;
    window.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  return () => {
    unsubscribe();
    for (const method of METHOD_CHANNELS) ipcMain.removeHandler(`${IPC_PREFIX}${method}`);
  };
}
