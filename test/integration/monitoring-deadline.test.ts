// A changed probe deadline reaches fping, whose loop paces itself and takes its timeout when a
// target is watched rather than at each probe: after the settings change, the running fping is
// replaced by one with the new `-t`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const tempDir = useTempDirs();
let app: HostApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** The `-t` of the fping this process runs, or null while none runs. */
function fpingTimeout(): string | null {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-P', String(process.pid), '-x', 'fping'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return null; // pgrep exits 1 when nothing matches
  }
  const pid = pids[0];
  if (pid === undefined) return null;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv[argv.indexOf('-t') + 1] ?? null;
  } catch {
    return null; // it exited between pgrep and the read
  }
}

describe('probe deadline setting', () => {
  it('a new deadline restarts fping with the new timeout', async () => {
    app = openHost({ dataDir: tempDir(), monitoring: true, log: () => undefined });
    await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300 });
    const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
    await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.1', alias: 'lo' }));
    await until('the ICMP backend', () => fpingTimeout() !== null);
    expect((await call(app, 'monitoring:backend', {})).backend).toBe('fping');
    await until('fping with -t 300', () => fpingTimeout() === '300');
    await call(app, 'settings:update', { sipDeadlineMs: 700 });
    await until('fping with -t 700', () => fpingTimeout() === '700');
  });
});
