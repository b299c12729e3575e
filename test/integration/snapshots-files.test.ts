// Saving and opening snapshot files against the real SQLite: a save while another process keeps
// writing, secrets absent from the bytes, and every kind of file that is not a usable snapshot.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { openSnapshot, readSnapshotMeta } from '../../src/services/snapshots/open-snapshot';
import { saveSnapshot } from '../../src/services/snapshots/save-snapshot';
import { openDatabase } from '../../src/services/store/database';
import { LATEST_VERSION, migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { sealSnapshot } from '../../src/services/store/snapshot-file';
import { openStore } from '../../src/services/store/store';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const BASE = Date.UTC(2026, 0, 1);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let childScript = '';

beforeAll(async () => {
  childScript = path.join(tempDir(), 'ingest-child.cjs');
  await build({
    entryPoints: [path.join(root, 'test/helpers/ingest-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: childScript,
    logLevel: 'silent',
  });
});

/** Blocks this thread (the child process runs on) until the file's size or mtime changes, or `limitMs` passes. */
function waitForWalWrite(file: string, limitMs: number): void {
  const stamp = () => {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  };
  const first = stamp();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + limitMs;
  while (stamp() === first && Date.now() < until) Atomics.wait(pause, 0, 0, 20);
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function savedFrom(liveFile: string, dest: string, note = '') {
  return saveSnapshot({ source: liveFile, dest, note, appVersion: '9.9.9-test', takenAt: BASE + 1 });
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('saving a snapshot', () => {
  it('copies consistently while another process keeps committing samples', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'switchyard.db');
    openStore({ file: live }).close();
    const child = spawn(process.execPath, [childScript, live, String(BASE)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
    });
    const exited = new Promise((resolve) => child.once('close', resolve));
    let committed = -1;
    let buffer = '';
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (committed >= n ? resolve() : setTimeout(check, 5));
        check();
      });
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) committed = Number(m[1]);
      }
    });
    try {
      await waitFor(3000);
      const before = committed;
      const progress: number[] = [];
      const dest = path.join(dir, 'during-load.snapshot');
      const meta = await saveSnapshot({
        source: live,
        dest,
        note: 'under load',
        appVersion: '9.9.9-test',
        takenAt: BASE,
        onProgress: (p) => {
          // The first step pauses the copy, its read transaction open, until the writer's WAL
          // shows a later commit: on a loaded machine the child may not run at all during a
          // short save, and "the writer carried on" must not depend on the scheduler's luck.
          if (progress.length === 0) waitForWalWrite(`${live}-wal`, 10_000);
          progress.push(p.copiedPages);
        },
      });
      const after = committed;
      expect(after).toBeGreaterThan(before); // the writer was not blocked by the save
      const db = openDatabase(dest, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const row = db.prepare("SELECT count(*) AS n, max(at) AS last FROM probe_samples WHERE server_id = 'crash'").get() as {
          n: number;
          last: number;
        };
        // Every sample committed before the save began is in; the sequence has no holes (the
        // child stamps sample n at BASE + n ms, see test/helpers/ingest-child.ts).
        const last = row.last - BASE;
        expect(last).toBeGreaterThanOrEqual(before);
        expect(row.n).toBe(last);
        expect(meta.counts.samples).toBe(row.n);
        expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      } finally {
        db.close();
      }
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('never carries a secret: a known password and key passphrase are not in the file', async () => {
    const dir = tempDir();
    const app = openTestHost(dir);
    const zone = await call(app, 'fleet:create-zone', { name: 'EU', description: '' });
    const server = await call(
      app,
      'fleet:create-server',
      draft(zone.id, {
        ip: '127.0.10.1',
        alias: 'sw1',
        ssh: { host: null, port: 22, user: 'root', auth: 'password', keyPath: null, jumpHost: null },
      }),
    );
    const password = 'Correct-Horse-Battery-4711';
    const passphrase = 'key passphrase: Tr0ub4dor&3';
    await call(app, 'ssh:set-secret', { serverId: server.id, kind: 'password', value: password });
    await call(app, 'ssh:set-secret', { serverId: server.id, kind: 'passphrase', value: passphrase });
    expect(app.secrets.kind).toBeDefined();
    const meta = await call(app, 'snapshots:save', { file: 'with-secrets.snapshot', note: 'secret check' });
    await app.close();
    const bytes = readFileSync(path.join(dir, 'snapshots', meta.file));
    expect(bytes.includes(Buffer.from('127.0.10.1'))).toBe(true); // the inventory is there
    for (const secret of [password, passphrase]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  });

  it('refuses to overwrite an existing snapshot and leaves it intact', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'switchyard.db');
    openStore({ file: live }).close();
    const dest = path.join(dir, 'one.snapshot');
    await savedFrom(live, dest, 'first');
    const hash = sha(dest);
    await expect(savedFrom(live, dest, 'second')).rejects.toMatchObject({ code: 'conflict', field: 'file' });
    expect(sha(dest)).toBe(hash);
  });
});

describe('opening a file', () => {
  it('opens a current snapshot read-only: SQLite itself refuses writes', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'switchyard.db');
    openStore({ file: live }).close();
    const dest = path.join(dir, 's.snapshot');
    await savedFrom(live, dest, 'note kept');
    const hash = sha(dest);
    const opened = openSnapshot(dest);
    try {
      expect(opened.meta).toMatchObject({ note: 'note kept', appVersion: '9.9.9-test', schemaVersion: LATEST_VERSION, takenAt: BASE + 1 });
      expect(opened.migratedFrom).toBeNull();
      expect(() => opened.store.settings.set('x', 1)).toThrow(/readonly/i);
    } finally {
      opened.close();
    }
    expect(sha(dest)).toBe(hash);
  });

  it('opens an older snapshot through a migrated temporary copy; the original is never modified', () => {
    const dir = tempDir();
    const old = path.join(dir, 'old.snapshot');
    const db = openDatabase(old);
    migrate(db, old, () => BASE, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO zones (id, name, description, created_at) VALUES ('z1', 'EU', 'old zone', 1)").run();
    db.close();
    sealSnapshot(old, { takenAt: BASE, appVersion: '0.0.1', note: 'from the first release' });
    const hash = sha(old);
    const opened = openSnapshot(old, { tempDir: dir });
    try {
      expect(opened.migratedFrom).toBe(1);
      expect(opened.store.migration.to).toBe(LATEST_VERSION);
      expect(opened.store.zones.list().map((z) => z.description)).toEqual(['old zone']);
      expect(opened.store.file).not.toBe(old);
    } finally {
      opened.close();
    }
    expect(sha(old)).toBe(hash);
  });

  it('refuses a snapshot from a newer schema, naming the version', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'switchyard.db');
    openStore({ file: live }).close();
    const dest = path.join(dir, 'new.snapshot');
    await savedFrom(live, dest);
    const db = openDatabase(dest);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 1)").run();
    db.prepare('UPDATE snapshot_meta SET schema_version = 999, app_version = ?').run('42.0.0');
    db.pragma('journal_mode = DELETE');
    db.close();
    const hash = sha(dest);
    const error = refusal(() => openSnapshot(dest));
    expect(error.message).toMatch(/newer Switchyard \(42\.0\.0, schema version 999/);
    expect(error.field).toBe('file');
    expect(sha(dest)).toBe(hash);
  });

  it.each([
    [
      'a random file',
      (f: string) => writeFileSync(f, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
      /not a SQLite database/,
    ],
    ['an empty file', (f: string) => writeFileSync(f, ''), /not a SQLite database/],
    [
      'a SQLite file that is not ours',
      (f: string) => {
        const db = openDatabase(f);
        db.pragma('journal_mode = DELETE');
        db.exec('CREATE TABLE songs (title TEXT)');
        db.close();
      },
      /not one Switchyard wrote/,
    ],
    [
      'a SQLite file that is not ours, in WAL mode',
      (f: string) => {
        const db = openDatabase(f);
        db.exec('CREATE TABLE songs (title TEXT)');
        db.close();
      },
      /not a snapshot: it is a database in write-ahead-log mode/,
    ],
    ['a live Switchyard database', (f: string) => openStore({ file: f }).close(), /write-ahead-log mode, as a live Switchyard database/],
    [
      'a live Switchyard database turned to rollback mode',
      (f: string) => {
        const store = openStore({ file: f });
        store.db.pragma('journal_mode = DELETE');
        store.close();
      },
      /live Switchyard database, not a snapshot/,
    ],
  ])('refuses %s with a clear message', (_name, make, message) => {
    const file = path.join(tempDir(), 'x.snapshot');
    make(file);
    expect(refusal(() => readSnapshotMeta(file)).message).toMatch(message);
    expect(refusal(() => openSnapshot(file)).message).toMatch(message);
  });

  it('refuses a truncated snapshot as damaged', async () => {
    const dir = tempDir();
    const app = openTestHost(dir);
    await call(app, 'fleet:load-demo', {});
    await app.close();
    const whole = path.join(dir, 'whole.snapshot');
    await savedFrom(path.join(dir, 'switchyard.db'), whole);
    const cut = path.join(dir, 'cut.snapshot');
    copyFileSync(whole, cut);
    truncateSync(cut, Math.floor(readFileSync(whole).length / 2));
    expect(refusal(() => openSnapshot(cut)).message).toMatch(/damaged.*cut short/);
    // Garbage past the end of a whole file is not the same as missing pages: it still opens.
    appendFileSync(whole, Buffer.alloc(10));
    openSnapshot(whole).close();
  });

  it('says when the file does not exist', () => {
    expect(refusal(() => openSnapshot(path.join(tempDir(), 'none.snapshot'))).code).toBe('not-found');
  });
});
