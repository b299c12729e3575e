import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// Issue 16 item 8: the data folder and the database were created with the default umask (0755 and
// 0644 here), readable by every account on the workstation. Now: the folder 0700, the database,
// its WAL and shared memory, and snapshots 0600 when created; anything opened up since is named
// in a warning when the host opens (and left as the operator set it).

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
afterEach(async () => {
  for (const app of hosts.splice(0)) await app.close();
});

const modeOf = (file: string) => statSync(file).mode & 0o777;

function open(dataDir: string): { app: HostApp; logged: string[] } {
  const logged: string[] = [];
  const app = openHost({ dataDir, clock: () => Date.UTC(2026, 10, 25, 12), log: (line) => logged.push(line) });
  hosts.push(app);
  return { app, logged };
}

describe('data folder permissions', () => {
  it('creates the folder 0700 and the database, WAL and shared memory 0600 whatever the umask allows', async () => {
    // The default umask here lets group and others read: the host must not rely on it.
    expect(process.umask() & 0o044).toBe(0);
    const dataDir = path.join(tempDir(), 'fresh', 'Switchyard');
    const { app, logged } = open(dataDir);
    const zone = await call(app, 'fleet:create-zone', { name: 'eu', description: '' });
    await call(app, 'fleet:create-server', draft(zone.id, { ip: '192.0.2.30', alias: 'sw1' }));
    const db = path.join(dataDir, DATABASE_FILE);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(db)).toBe(0o600);
    expect(modeOf(`${db}-wal`)).toBe(0o600);
    expect(modeOf(`${db}-shm`)).toBe(0o600);
    expect(logged.filter((l) => l.includes('readable by other users'))).toEqual([]);
  });

  it('writes snapshots 0600', async () => {
    const dataDir = tempDir();
    const { app } = open(dataDir);
    const meta = await call(app, 'snapshots:save', { note: 'incident 42' });
    expect(modeOf(path.join(dataDir, 'snapshots', path.basename(meta.file)))).toBe(0o600);
  });

  it('names each file opened up since in a warning on open, and leaves its mode alone', async () => {
    const dataDir = tempDir();
    const first = open(dataDir);
    await first.app.close();
    hosts.splice(0);
    const db = path.join(dataDir, DATABASE_FILE);
    chmodSync(dataDir, 0o755);
    chmodSync(db, 0o644);
    writeFileSync(path.join(dataDir, 'known_hosts'), '', { mode: 0o644 });
    chmodSync(path.join(dataDir, 'known_hosts'), 0o644);
    mkdirSync(path.join(dataDir, 'snapshots'), { mode: 0o700 });
    writeFileSync(path.join(dataDir, 'snapshots', 'old.swsnap'), 'x', { mode: 0o640 });
    chmodSync(path.join(dataDir, 'snapshots', 'old.swsnap'), 0o640);

    const { logged } = open(dataDir);
    const warnings = logged.filter((l) => l.includes('readable by other users'));
    expect(warnings).toEqual([
      expect.stringContaining(`${dataDir} is readable by other users (mode 0755); run \`chmod 700`),
      expect.stringContaining(`${db} is readable by other users (mode 0644); run \`chmod 600`),
      // SQLite gives the WAL and shared memory the database's own mode when it recreates them.
      expect.stringContaining(`${db}-wal is readable by other users (mode 0644)`),
      expect.stringContaining(`${db}-shm is readable by other users (mode 0644)`),
      expect.stringContaining(`${path.join(dataDir, 'known_hosts')} is readable by other users (mode 0644)`),
      expect.stringContaining(`${path.join(dataDir, 'snapshots', 'old.swsnap')} is readable by other users (mode 0640)`),
    ]);
    expect(modeOf(db)).toBe(0o644);
  });
});
