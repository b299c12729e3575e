// `switchyard serve`: the web host over the live fleet (or a snapshot), until SIGINT/SIGTERM.
// Its own module so that the web server, metrics and secrets code load only when it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HostApp } from '../host/app';
import { startWebHost } from '../host/web/server';
import { resolveTeamConfig, TeamConfigError, type TeamConfig } from '../host/web/team-config';
import { createHostMetrics } from '../services/metrics/host-metrics';
import { loadTokenFile } from '../services/metrics/token-file';
import type { SecretStore } from '../services/secrets/secret-store';
import { readSnapshotMeta } from '../services/snapshots/open-snapshot';
import { SNAPSHOTS_FOLDER } from '../services/snapshots/snapshots-service';
import { dataDirOf } from './data-arg';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { keyFileOf, serveSecretStore } from './serve-secrets';
import { untilSignal } from './until-signal';

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

export async function serve(
  args: string[],
  open: (readOnly: boolean, snapshot: string | undefined, secrets: SecretStore) => HostApp,
  io: Io,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      'read-only': { type: 'boolean' },
      snapshot: { type: 'string' },
      metrics: { type: 'boolean' },
      'token-file': { type: 'string' },
      'secrets-key': { type: 'string' },
      // Team mode (src/host/web/team-*.ts): off loopback, over TLS, with accounts.
      listen: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'public-name': { type: 'string', multiple: true },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${values.port}".`);
  if (!existsSync(`${RENDERER_DIR}index.html`)) {
    io.err('switchyard: the console UI is not built yet: run `npm run build:ui` (or `npm run serve`, which builds it).\n');
    return EXIT_FAILURE;
  }
  if (values.snapshot !== undefined && values.metrics === true)
    throw new UsageError("--metrics exports the live fleet's probes; a --snapshot host has none.");
  if (values.snapshot !== undefined) readSnapshotMeta(values.snapshot);
  const team = teamConfigOf(values, dataDirOf(args));
  if (team !== null && values.port !== undefined)
    throw new UsageError('--port is for the loopback host; team mode takes --listen ADDRESS:PORT.');
  if (team !== null && values.metrics === true && values['token-file'] === undefined)
    throw new UsageError('--metrics on a team host needs --token-file FILE: Prometheus sends that token, not a signed-in session.');
  // The token and secrets files are read (or made) before the host opens, so a refused one changes nothing.
  const tokenFile = values['token-file'];
  const token = tokenFile === undefined ? undefined : loadTokenFile(tokenFile);
  const { secrets, note } = serveSecretStore(dataDirOf(args), keyFileOf(values['secrets-key'], process.env), (m) => io.err(`${m}\n`));
  const app = open(values['read-only'] === true, values.snapshot, secrets);
  // Subscribed in the same turn as the host opens, before monitoring (started asynchronously) sends its first probe.
  const metrics = values.metrics === true ? createHostMetrics(app) : null;
  // A browser opens a snapshot it holds by uploading it into the data folder's snapshots folder.
  const snapshotUploads = { folder: path.join(dataDirOf(args), SNAPSHOTS_FOLDER) };
  if (team !== null) return serveTeam(app, team, { snapshotUploads, metrics, token }, io);
  const web = await startWebHost({
    app,
    port,
    staticDir: RENDERER_DIR,
    snapshotUploads,
    ...(token === undefined ? {} : { token }),
    ...(metrics === null ? {} : { metrics: metrics.render }),
  });
  io.err(`switchyard: ${note}.\n`);
  const stopped = untilSignal();
  io.out(`Switchyard listening on ${web.url}\n`);
  await stopped;
  await web.close();
  metrics?.close();
  await app.close();
  return EXIT_OK;
}

function teamConfigOf(
  values: {
    listen?: string | undefined;
    'tls-cert'?: string | undefined;
    'tls-key'?: string | undefined;
    'trust-proxy'?: boolean | undefined;
    'public-name'?: string[] | undefined;
  },
  dataDir: string,
): TeamConfig | null {
  try {
    return resolveTeamConfig(
      {
        listen: values.listen,
        tlsCert: values['tls-cert'],
        tlsKey: values['tls-key'],
        trustProxy: values['trust-proxy'],
        names: values['public-name'],
      },
      dataDir,
    );
  } catch (error) {
    if (error instanceof TeamConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Team mode: the host is open; a refusal (no account yet) closes it again and says what to do. */
async function serveTeam(
  app: HostApp,
  config: TeamConfig,
  extras: { snapshotUploads: { folder: string }; metrics: { render: () => string; close(): void } | null; token: string | undefined },
  io: Io,
): Promise<number> {
  const { startTeamServe } = await import('../host/web/team-start');
  let web;
  try {
    web = await startTeamServe({
      app,
      config,
      staticDir: RENDERER_DIR,
      snapshotUploads: extras.snapshotUploads,
      log: (line) => io.err(`${line}\n`),
      ...(extras.metrics === null || extras.token === undefined ? {} : { metrics: { render: extras.metrics.render, token: extras.token } }),
    });
  } catch (error) {
    extras.metrics?.close();
    await app.close();
    if (error instanceof TeamConfigError) {
      io.err(`switchyard: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  const stopped = untilSignal();
  io.out(`Switchyard listening on ${web.url}\n`);
  await stopped;
  await web.close();
  extras.metrics?.close();
  await app.close();
  return EXIT_OK;
}
