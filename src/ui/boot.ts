import { pageBringsAnswers, sendFirstCalls } from './lib/transport/first-calls';
import { sharedPageToken } from './lib/transport/page-token';

// The page's first script, loaded async ahead of the console's own (the build injects it, see
// vite.renderer.ts). When the host wrote the first screen's answers into the page, it only starts
// the token exchange (the event socket and every later call need it); otherwise it sends the calls
// every screen makes first, so their replies travel while the console's scripts load and start.
// In the desktop app the preload's bridge carries calls and there is nothing to send early.
const page = globalThis as { switchyardBridge?: unknown; location?: { protocol: string } };
if (page.switchyardBridge === undefined && (page.location?.protocol === 'http:' || page.location?.protocol === 'https:')) {
  if (pageBringsAnswers()) void sharedPageToken()();
  else sendFirstCalls();
}
