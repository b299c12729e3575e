import { sendFirstCalls } from './lib/transport/first-calls';

// The page's first script, loaded async ahead of the console's own (the build injects it, see
// vite.renderer.ts): it sends the calls every screen makes first, so their replies travel while
// the console's scripts load and start. In the desktop app the preload's bridge carries calls and
// there is nothing to send early.
const page = globalThis as { switchyardBridge?: unknown; location?: { protocol: string } };
if (page.switchyardBridge === undefined && (page.location?.protocol === 'http:' || page.location?.protocol === 'https:')) {
  sendFirstCalls();
}
