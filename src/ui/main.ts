import { mount } from 'svelte';
import { config as zodConfig } from 'zod/v4/core';
import App from './App.svelte';
import { fleet } from './lib/stores/fleet.svelte';
import { monitoring } from './lib/stores/monitoring.svelte';
import { pageBringsAnswers, sendFirstCalls } from './lib/transport/first-calls';
import { sharedPageToken } from './lib/transport/page-token';
import './styles/theme.css';
import './styles/base.css';
import './styles/table.css';
import './styles/form.css';

// The strict CSP forbids eval; without this zod probes for it and logs a CSP violation. Only the
// config is imported here: the schemas load with the first screen that needs them.
zodConfig({ jitless: true });

// In a browser: when the host wrote the first screen's answers into the page, start the token
// exchange (the event socket and every later call need it); otherwise send the calls every screen
// makes first, all at once, before the shell is built. In the desktop app the preload's bridge
// carries calls and there is nothing to send early.
const page = globalThis as { switchyardBridge?: unknown; location?: { protocol: string } };
if (page.switchyardBridge === undefined && (page.location?.protocol === 'http:' || page.location?.protocol === 'https:')) {
  if (pageBringsAnswers()) void sharedPageToken()();
  else sendFirstCalls();
}

// The fleet and the latest values are asked for before the page is built: their calls travel
// while the shell mounts, instead of after it (App starts them too; starting is done once).
void fleet.start();
// After the fleet's calls (queued a microtask later): the fleet's list is what the first paint waits for.
queueMicrotask(() => monitoring.start());
setTimeout(() => mount(App, { target: document.getElementById('app') as HTMLElement }), 0);
