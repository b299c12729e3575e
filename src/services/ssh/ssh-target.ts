import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { SshError } from './ssh-error';

// Where to connect and as whom, after ~/.ssh/config has had its say. A server's own settings win
// over the config (as ssh's command line does); the config fills what the server leaves open, and
// an alias in `host` is looked up like `ssh alias` would.

export type SshAuthKind = 'agent' | 'key' | 'password';

export interface SshTarget {
  /** Stable id (the server's): names its secrets and its pool slot. */
  id: string;
  /** Address or ~/.ssh/config alias. */
  host: string;
  port?: number | null;
  user?: string | null;
  auth: SshAuthKind;
  keyPath?: string | null;
  /** ProxyJump spec: `[user@]host[:port]`, comma-separated for a chain. */
  jumpHost?: string | null;
}

export interface ResolvedTarget {
  id: string;
  /** What the operator typed, for messages. */
  alias: string;
  host: string;
  port: number;
  user: string;
  auth: SshAuthKind;
  keyPath: string | null;
  jumps: JumpSpec[];
}

export interface JumpSpec {
  host: string;
  port: number | null;
  user: string | null;
}

/** A parsed ssh config, or null when the operator has none. */
export type SshConfigSource = SSHConfig | null;

export function parseSshConfig(text: string): SSHConfig {
  return SSHConfig.parse(text);
}

export interface ResolveDefaults {
  homeDir?: string;
  /** Used when neither the target nor the config names a user (a jump hop inherits its target's). */
  user?: string;
  /** Used when neither the target nor the config names a key file. */
  keyPath?: string | null;
}

export function resolveTarget(target: SshTarget, config: SshConfigSource, defaults: ResolveDefaults = {}): ResolvedTarget {
  const homeDir = defaults.homeDir ?? os.homedir();
  // `Match exec` would run a shell command while we only wanted to read settings: never evaluated.
  const found = config ? config.compute(target.host, { ignoreCase: true, matchExec: false }) : {};
  const first = (key: string): string | undefined => {
    const value = found[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const hostName = first('hostname');
  const host = hostName ? hostName.replaceAll('%h', target.host).replaceAll('%%', '%') : target.host;
  const configPort = first('port');
  const port = target.port ?? (configPort ? Number(configPort) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SshError('not-configured', `The SSH port for ${target.host} is not a port number (${String(configPort)} in ~/.ssh/config).`);
  }
  const user = target.user ?? first('user') ?? defaults.user ?? os.userInfo().username;
  const identity = first('identityfile');
  const keyPath = target.keyPath ?? identity ?? defaults.keyPath ?? null;
  const jumpText = target.jumpHost ?? first('proxyjump') ?? null;
  return {
    id: target.id,
    alias: target.host,
    host,
    port,
    user,
    auth: target.auth,
    keyPath: keyPath === null ? null : expandHome(keyPath, homeDir),
    jumps: jumpText === null || jumpText.toLowerCase() === 'none' ? [] : parseProxyJump(jumpText),
  };
}

/** `[user@]host[:port]` hops, comma-separated; `[v6]:port` brackets allowed. */
export function parseProxyJump(text: string): JumpSpec[] {
  return text
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '')
    .map((hop) => {
      const withoutScheme = hop.startsWith('ssh://') ? hop.slice(6) : hop;
      const at = withoutScheme.lastIndexOf('@');
      const user = at >= 0 ? withoutScheme.slice(0, at) : null;
      const rest = at >= 0 ? withoutScheme.slice(at + 1) : withoutScheme;
      const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:]+)(?::(\d+))?$/.exec(rest);
      if (!match?.[1]) throw new SshError('not-configured', `The jump host "${hop}" is not [user@]host[:port].`);
      return { host: match[1], port: match[2] ? Number(match[2]) : null, user };
    });
}

function expandHome(p: string, homeDir: string): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/')) return path.join(homeDir, p.slice(2));
  return p;
}
