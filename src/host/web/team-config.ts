import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// Team mode's settings: where to listen, the TLS certificate and key, whether a reverse proxy's
// X-Forwarded-* headers are believed, and the names the host answers to. From the command line
// (`serve --listen … --tls-cert … --tls-key … [--trust-proxy] [--public-name …]`) or `team.json`
// in the data folder with the same keys; a flag wins over the file. Everything is checked before
// the host opens anything, and each refusal names the flag or key to fix.

export const TEAM_FILE = 'team.json';

export interface TeamFlags {
  listen?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  trustProxy?: boolean | undefined;
  names?: string[] | undefined;
}

export interface TeamConfig {
  host: string;
  port: number;
  /** Absent only on a loopback address (a reverse proxy on the same machine terminates TLS). */
  tls: { cert: Buffer; key: Buffer; certFile: string; keyFile: string } | null;
  trustProxy: boolean;
  /** Lower-case host names and addresses (IPv6 without brackets) that Host and Origin may name. */
  names: string[];
  loopback: boolean;
}

export class TeamConfigError extends Error {}

const TeamFile = z.strictObject({
  listen: z.string().optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  trustProxy: z.boolean().optional(),
  names: z.array(z.string()).optional(),
});

/** The team settings, or null when neither a flag nor team.json asks for team mode (the loopback host of old). */
export function resolveTeamConfig(flags: TeamFlags, dataDir: string): TeamConfig | null {
  const file = readTeamFile(dataDir);
  const listen = flags.listen ?? file?.listen;
  const anyFlag = flags.tlsCert !== undefined || flags.tlsKey !== undefined || flags.trustProxy === true || (flags.names ?? []).length > 0;
  if (listen === undefined) {
    if (anyFlag)
      throw new TeamConfigError('--tls-cert, --tls-key, --trust-proxy and --public-name need --listen ADDRESS:PORT (team mode).');
    return null;
  }
  const where = flags.listen === undefined ? `"listen" in ${TEAM_FILE}` : '--listen';
  const { host, port } = parseListen(listen, where);
  const loopback = isLoopback(host);
  const certFile = flags.tlsCert ?? inDataDir(file?.tlsCert, dataDir);
  const keyFile = flags.tlsKey ?? inDataDir(file?.tlsKey, dataDir);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new TeamConfigError('--tls-cert and --tls-key go together: give both the certificate and its private key.');
  }
  if (certFile === undefined && !loopback) {
    throw new TeamConfigError(
      `Refusing to serve ${host}:${port} without TLS: passwords and session cookies would cross the network in clear. ` +
        'Give --tls-cert FILE and --tls-key FILE (or listen on 127.0.0.1 behind a reverse proxy that terminates TLS).',
    );
  }
  const tls = certFile === undefined || keyFile === undefined ? null : readTls(certFile, keyFile);
  const extra = flags.names ?? file?.names ?? [];
  // The names given first: the URL printed and the plain-http hint use the first.
  const names = [...new Set([...extra.map((name) => checkName(name)), ...defaultNames(host)])];
  return { host, port, tls, trustProxy: flags.trustProxy ?? file?.trustProxy ?? false, names, loopback };
}

function readTeamFile(dataDir: string): z.infer<typeof TeamFile> | null {
  const file = path.join(dataDir, TEAM_FILE);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TeamConfigError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = TeamFile.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.join('.') || 'the file';
    throw new TeamConfigError(`${file}: ${key}: ${issue?.message ?? 'refused'} (keys: listen, tlsCert, tlsKey, trustProxy, names).`);
  }
  return result.data;
}

function inDataDir(file: string | undefined, dataDir: string): string | undefined {
  return file === undefined ? undefined : path.resolve(dataDir, file);
}

export function parseListen(value: string, where = '--listen'): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const host = (match?.[1] ?? match?.[2] ?? '').toLowerCase();
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TeamConfigError(`${where} must be ADDRESS:PORT (0.0.0.0:8443, [::]:8443, 192.0.2.5:443), not "${value}".`);
  }
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new TeamConfigError(`${where}: "${host}" is not an IP address; listen on an address and name the host with --public-name.`);
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function readTls(certFile: string, keyFile: string): NonNullable<TeamConfig['tls']> {
  const read = (file: string, flag: string, mark: RegExp) => {
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch (error) {
      throw new TeamConfigError(`${flag}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!mark.test(text.toString('latin1'))) throw new TeamConfigError(`${flag}: ${file} is not a PEM file of the right kind.`);
    return text;
  };
  const cert = read(certFile, '--tls-cert', /-----BEGIN CERTIFICATE-----/);
  const key = read(keyFile, '--tls-key', /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
  return { cert, key, certFile, keyFile };
}

const NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function checkName(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (isIP(name) !== 0 || (name.length <= 253 && NAME.test(name))) return name;
  throw new TeamConfigError(`--public-name: "${raw}" is not a host name or an IP address.`);
}

/** The listen address itself; for a wildcard, this machine's name and every address it holds. */
function defaultNames(host: string): string[] {
  if (host === 'localhost') return ['localhost', '127.0.0.1'];
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined)
    .filter((entry) => host === '::' || entry.family === 'IPv4')
    .map((entry) => entry.address.toLowerCase());
  return [hostname().toLowerCase(), 'localhost', ...addresses];
}
