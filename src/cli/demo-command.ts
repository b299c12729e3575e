// `switchyard demo`: the console as `serve` runs it, on the demo fleet in a data folder of its own
// (never the user's fleet), with a loopback SIP responder answering the demo addresses so the
// probes see a living fleet: most servers online, one slow, one answering 503, one silent while
// its host still pings, one coming and going. Stopping the process stops the responder with it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Server } from '../contract/fleet';
import { openHost, type HostApp } from '../host/app';
import { defaultDataDir } from '../host/data-dir';
import { startWebHost } from '../host/web/server';
import { demoFleetText, demoTargets, demoTls } from '../services/demo/demo-fleet';
import { startDemoResponder } from '../services/demo/demo-responder';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { untilSignal } from './until-signal';

export { DEMO_COMMAND } from './demo-usage';

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** Beside the normal data folder, so the demo can never open (or change) the user's real fleet. */
export function demoDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const normal = defaultDataDir(env, platform);
  return path.join(path.dirname(normal), `${path.basename(normal)}-demo`);
}

/** Loads the demo fleet into an empty folder; returns the servers as stored. */
async function prepareFleet(app: HostApp, io: Io): Promise<Server[]> {
  const listed = await app.dispatch('fleet:list-servers', {});
  if (!listed.ok) throw new Error(listed.error.message);
  if ((listed.data as Server[]).length > 0) return listed.data as Server[];
  const imported = await app.dispatch('fleet:import', { format: 'json', text: demoFleetText(demoTls().pin) });
  if (!imported.ok) throw new Error(`the demo fleet did not import: ${imported.error.message}`);
  io.err('switchyard: the demo fleet was imported into the empty demo folder.\n');
  const again = await app.dispatch('fleet:list-servers', {});
  if (!again.ok) throw new Error(again.error.message);
  return again.data as Server[];
}

export async function demoCommand(args: string[], io: Io, wait: () => Promise<void> = untilSignal): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, port: { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${values.port}".`);
  if (values.data === '') throw new UsageError('--data needs a folder.');
  const dataDir = values.data ?? demoDataDir();
  if (!existsSync(`${RENDERER_DIR}index.html`)) {
    io.err('switchyard: the console UI is not built yet: run `npm run build:ui` (or `npm run demo`, which builds it).\n');
    return EXIT_FAILURE;
  }
  // The fleet is read (and imported) before probing starts, so the first probes find the responder up.
  const setup = openHost({ dataDir });
  let servers: Server[];
  try {
    servers = await prepareFleet(setup, io);
  } finally {
    await setup.close();
  }
  const responder = await startDemoResponder({ targets: demoTargets(servers), tls: demoTls() });
  const app = openHost({ dataDir, monitoring: true, demo: true, actions: { background: true, origin: 'web' } });
  try {
    const web = await startWebHost({ app, port, staticDir: RENDERER_DIR });
    io.err(`switchyard: demo data folder ${dataDir} (delete it to start the demo afresh).\n`);
    io.err(`switchyard: demo SIP responder on ${responder.listening.length} loopback ports.\n`);
    for (const skipped of responder.skipped) io.err(`switchyard: demo responder skipped ${skipped} (held by another program).\n`);
    const stopped = wait();
    io.out(`Switchyard listening on ${web.url}\n`);
    await stopped;
    await web.close();
  } finally {
    await responder.close();
    await app.close();
  }
  return EXIT_OK;
}
