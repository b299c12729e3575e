// Which ICMP tool this machine has, said to the UI ("ICMP via fping 5.1" or "via ping"), and the
// matching check.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Check } from './check';
import type { Clock } from './clock';
import { FpingCheck } from './icmp-fping';
import { PingCheck } from './icmp-ping';

export type IcmpBackendName = 'fping' | 'ping' | 'none';

export interface IcmpBackend {
  backend: IcmpBackendName;
  /** Absolute path of the program used. */
  path: string | null;
  /** What `fping -v` says, when fping is used. */
  version: string | null;
}

export interface DetectOptions {
  /** Search path; the process's PATH by default. */
  searchPath?: string;
}

export async function detectIcmpBackend(options: DetectOptions = {}): Promise<IcmpBackend> {
  const dirs = (options.searchPath ?? process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  const fping = await findProgram(dirs, 'fping');
  if (fping) return { backend: 'fping', path: fping, version: await fpingVersion(fping) };
  const ping = await findProgram(dirs, process.platform === 'win32' ? 'ping.exe' : 'ping');
  if (ping) return { backend: 'ping', path: ping, version: null };
  return { backend: 'none', path: null, version: null };
}

/** The check for the detected backend, or null when the machine has neither tool. */
export function createIcmpCheck(backend: IcmpBackend, clock?: Clock): Check | null {
  if (backend.backend === 'none' || backend.path === null) return null;
  if (backend.backend === 'fping') return new FpingCheck({ command: [backend.path], ...(clock ? { clock } : {}) });
  return new PingCheck({ command: [backend.path] });
}

async function findProgram(dirs: readonly string[], name: string): Promise<string | null> {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next folder of the path.
    }
  }
  return null;
}

function fpingVersion(program: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(program, ['-v'], { env: { ...process.env, LC_ALL: 'C' }, timeout: 3_000 }, (_error, stdout, stderr) => {
      const m = /Version\s+(\S+)/i.exec(`${String(stdout)} ${String(stderr)}`);
      resolve(m?.[1] ?? null);
    });
  });
}
