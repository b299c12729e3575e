// The host the console-10k benchmark opens its pages against, in a process of its own, as
// `switchyard serve` runs: the browser's driver (playwright, in the benchmark's process) then takes
// none of the host's event loop, and the host's probing takes none of the driver's.
// `node --import tsx console-host.ts COUNT STATIC_DIR...`: imports the generated loopback fleet of
// COUNT servers (test/helpers/loopback-fleet.ts), probes it every 5 s with a 500 ms SIP deadline,
// serves each STATIC_DIR (a build of the renderer) from a web host of its own over the same app,
// prints one line of JSON, `{ "urls": ["<printed URL>", …], "importMs": <ms> }` (one URL per
// STATIC_DIR, in order), and runs until SIGTERM or until the process that started it is gone.
import { rm } from 'node:fs/promises';
import { openHost } from '../../../src/host/app';
import { startWebHost, type WebHost } from '../../../src/host/web/server';
import { makeDataDir } from '../../e2e/fixtures';
import { loopbackFleetJson } from '../../helpers/loopback-fleet';

const [countArg, ...staticDirs] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count <= 0 || staticDirs.length === 0) throw new Error('usage: console-host.ts COUNT STATIC_DIR...');

const dataDir = await makeDataDir();
// As `switchyard serve` opens it: monitoring on, so the page meets a host that is probing.
const app = openHost({ dataDir, monitoring: true, actions: { background: true, origin: 'web' }, log: () => undefined });
const webs: WebHost[] = [];
for (const staticDir of staticDirs) webs.push(await startWebHost({ app, staticDir }));
const web = webs[0] as WebHost;

async function call(method: string, input: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${web.port}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` },
    body: JSON.stringify({ method, input }),
  });
  const reply = (await res.json()) as { ok: boolean; error?: unknown };
  if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
}

const started = performance.now();
await call('fleet:import', { format: 'json', text: loopbackFleetJson(count) });
const importMs = performance.now() - started;
await call('settings:update', { probeIntervalSec: 5, sipDeadlineMs: 500 });
process.stdout.write(`${JSON.stringify({ urls: webs.map((w) => w.url), importMs })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    for (const w of webs) await w.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
};
process.once('SIGTERM', stop);
// A benchmark killed before it could stop this host must not leave it probing 10,000 servers.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1_000).unref();
