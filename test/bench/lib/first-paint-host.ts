// The host the first-paint benchmark opens its pages against, in a process of its own, as
// `switchyard serve` runs: the browser's driver (playwright, in the benchmark's process) then takes
// none of the host's event loop. One app probing the fleet, with a web host for each side of the
// benchmark: `node --import tsx first-paint-host.ts FLEET_JSON_FILE SIDES_JSON`, where SIDES_JSON
// is `{ "<side>": { "staticDir": "…", "firstScreen": true|false } }`. Prints one line of JSON,
// `{ "<side>": "<printed URL>" }`, once the fleet is imported, and runs until SIGTERM.
import { readFile, rm } from 'node:fs/promises';
import { openHost } from '../../../src/host/app';
import { startWebHost, type WebHost } from '../../../src/host/web/server';
import { makeDataDir } from '../../e2e/fixtures';

interface SideOptions {
  staticDir: string;
  firstScreen: boolean;
}

const [fleetFile, sidesJson] = process.argv.slice(2);
if (fleetFile === undefined || sidesJson === undefined) throw new Error('usage: first-paint-host.ts FLEET_JSON_FILE SIDES_JSON');
const sides = JSON.parse(sidesJson) as Record<string, SideOptions>;
const dataDir = await makeDataDir();
// As `switchyard serve` opens it: monitoring on, so the page meets a host that is probing.
const app = openHost({ dataDir, monitoring: true, actions: { background: true, origin: 'web' }, log: () => undefined });
const hosts: Record<string, WebHost> = {};
for (const [side, options] of Object.entries(sides)) hosts[side] = await startWebHost({ app, ...options });
const first = Object.values(hosts)[0];
if (first === undefined) throw new Error('first-paint-host: no side to serve');
const res = await fetch(`http://127.0.0.1:${first.port}/api/call`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${first.token}` },
  body: JSON.stringify({ method: 'fleet:import', input: { format: 'json', text: await readFile(fleetFile, 'utf8') } }),
});
const reply = (await res.json()) as { ok: boolean; error?: unknown };
if (!reply.ok) throw new Error(`fleet:import failed: ${JSON.stringify(reply.error)}`);
process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(hosts).map(([side, web]) => [side, web.url])))}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    for (const web of Object.values(hosts)) await web.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
