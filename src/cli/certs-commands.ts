// `switchyard certs` and `switchyard acme`: certificates on the servers as the console shows them.
// Keys live in the secret store of `serve`: installing and requesting need the same --secrets-key
// FILE (or systemd's credential); checking what a server serves needs no secret.
import { parseArgs } from 'node:util';
import type { AcmeCertificate, ServerDeploy } from '../contract/cert-deploy-methods';
import type { HostApp } from '../host/app';
import type { SecretStore } from '../services/secrets/secret-store';
import { call, serverNamed } from './alert-commands';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { keyFileOf, serveSecretStore } from './serve-secrets';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const CERTS_USAGE = usageOf('certs', 'acme');

type OpenApp = (secrets?: SecretStore) => HostApp;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function withApp<T>(openApp: OpenApp, secrets: SecretStore | undefined, run: (app: HostApp) => Promise<T>): Promise<T> {
  const app = openApp(secrets);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

function secretsOf(flag: string | undefined, dataDir: string, io: Io, what: string): SecretStore {
  const keyFile = keyFileOf(flag, process.env);
  if (keyFile === null)
    throw new UsageError(
      `${what} needs the certificates' private keys: give --secrets-key FILE, the key file \`switchyard serve\` keeps its secrets with.`,
    );
  return serveSecretStore(dataDir, keyFile, (m) => io.err(`${m}\n`)).secrets;
}

function describe(d: ServerDeploy, name: string): string {
  const lines = [`${name}: ${d.install ? `${d.install.state} — ${d.install.message}` : 'never installed by Switchyard'}`];
  for (const c of d.checks)
    lines.push(
      `  ${(c.domain ?? '(no SNI)').padEnd(28)} ${c.outcome.padEnd(20)} served ${c.servedFingerprint ?? '—'}${c.outcome === 'ok' ? '' : `\n    ${c.message}`}`,
    );
  return `${lines.join('\n')}\n`;
}

export async function certsCommand(args: string[], openApp: OpenApp, io: Io, dataDir: string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(CERTS_USAGE);
    return EXIT_OK;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, 'secrets-key': { type: 'string' } },
  });
  if (sub === 'status') {
    return withApp(openApp, undefined, async (app) => {
      const all = await call<ServerDeploy[]>(app, 'certs:list-checks', {});
      const wanted = positionals[0] === undefined ? null : await serverNamed(app, positionals[0], 'SERVER');
      const rows = wanted ? all.filter((d) => d.serverId === wanted.id) : all;
      if (values.json) io.out(json(rows));
      else {
        const servers = new Map(
          (await call<{ id: string; alias: string; ip: string }[]>(app, 'fleet:list-servers', {})).map((s) => [
            s.id,
            `${s.alias} (${s.ip})`,
          ]),
        );
        io.out(
          rows.length === 0
            ? 'No certificate is installed or checked on any server.\n'
            : rows.map((d) => describe(d, servers.get(d.serverId) ?? d.serverId)).join(''),
        );
      }
      return EXIT_OK;
    });
  }
  if (sub !== 'check' && sub !== 'install') throw new UsageError(`certs: unknown command "${sub}" (status, check or install).`);
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) throw new UsageError(`certs ${sub} needs one SERVER (alias or IP).`);
  const secrets = sub === 'install' ? secretsOf(values['secrets-key'], dataDir, io, 'certs install') : undefined;
  return withApp(openApp, secrets, async (app) => {
    const server = await serverNamed(app, name, 'SERVER');
    const result = await call<ServerDeploy>(app, sub === 'install' ? 'certs:install' : 'certs:check', { serverId: server.id });
    io.out(values.json ? json(result) : describe(result, `${server.alias} (${server.ip})`));
    const installed = sub === 'check' || result.install?.state === 'installed';
    return installed && result.checks.every((c) => c.outcome === 'ok') ? EXIT_OK : EXIT_FAILURE;
  });
}

export async function acmeCommand(args: string[], openApp: OpenApp, io: Io, dataDir: string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(CERTS_USAGE);
    return EXIT_OK;
  }
  if (sub !== 'request') throw new UsageError(`acme: unknown command "${sub}" (request).`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      data: { type: 'string' },
      'secrets-key': { type: 'string' },
      challenge: { type: 'string' },
      domain: { type: 'string' },
    },
  });
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) throw new UsageError('acme request needs one SERVER (alias or IP).');
  if (values.challenge !== undefined && values.challenge !== 'http-01' && values.challenge !== 'dns-01')
    throw new UsageError(`--challenge must be http-01 or dns-01, not "${values.challenge}".`);
  const secrets = secretsOf(values['secrets-key'], dataDir, io, 'acme request');
  return withApp(openApp, secrets, async (app) => {
    const server = await serverNamed(app, name, 'SERVER');
    const result = await call<AcmeCertificate>(
      app,
      'acme:request',
      { serverId: server.id, challenge: values.challenge ?? 'http-01', ...(values.domain === undefined ? {} : { domain: values.domain }) },
      { domain: '--domain', challenge: '--challenge' },
    );
    io.out(values.json ? json(result) : `${result.domain}: ${result.state} — ${result.message}\n`);
    return result.state === 'issued' ? EXIT_OK : EXIT_FAILURE;
  });
}
