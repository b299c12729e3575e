// Opening a snapshot from outside the snapshots folder: a browser uploads the file's bytes to the
// loopback web host (token-checked, size-limited, kept under a name the host makes, opened through
// `snapshots:open`, removed again when it is not a snapshot); the desktop shell hands the host a
// path the user chose in its own dialog, which no renderer call can name.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { openHost } from '../../src/host/app';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { SNAPSHOT_UPLOAD_PATH, UPLOAD_NAME_HEADER } from '../../src/host/web/snapshot-upload';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { bearer, send } from '../helpers/web-client';

const tempDir = useTempDirs();
const LIMIT = 4 * 1024 * 1024;
const fleet = JSON.stringify({
  switchyard: 'fleet',
  version: 1,
  zones: [{ name: 'EU', description: '' }],
  clusters: [],
  servers: [{ ip: '127.0.10.31', alias: 'incident-sw', type: 'switch', zone: 'EU' }],
  rtpServers: [],
});

/** A real snapshot, saved on "another workstation", as bytes. */
async function snapshotBytes(): Promise<Buffer> {
  const elsewhere = openTestHost(path.join(tempDir(), 'elsewhere'));
  try {
    await call(elsewhere, 'fleet:import', { format: 'json', text: fleet });
    await call(elsewhere, 'snapshots:save', { file: 'x.snapshot', note: 'from the ticket' });
    return readFileSync(path.join(elsewhere.sessions.live()?.file ?? '', '..', 'snapshots', 'x.snapshot'));
  } finally {
    await elsewhere.close();
  }
}

const opened: { app: HostApp; web: WebHost }[] = [];
afterEach(async () => {
  for (const { app, web } of opened.splice(0)) {
    await web.close();
    await app.close();
  }
});

async function webHost() {
  const dataDir = tempDir();
  const staticDir = path.join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Switchyard</title>');
  const app = openTestHost(dataDir);
  const folder = path.join(dataDir, 'snapshots');
  const web = await startWebHost({ app, staticDir, log: () => {}, snapshotUploads: { folder, maxBytes: LIMIT } });
  opened.push({ app, web });
  const upload = (body: Buffer | string, name: string, headers: Record<string, string> = bearer(web.token)) =>
    send(web.port, {
      method: 'POST',
      path: SNAPSHOT_UPLOAD_PATH,
      headers: { 'content-type': 'application/octet-stream', [UPLOAD_NAME_HEADER]: encodeURIComponent(name), ...headers },
      body,
    });
  const files = () => {
    try {
      return readdirSync(folder).sort();
    } catch {
      return [];
    }
  };
  return { app, web, upload, files };
}

describe('uploading a snapshot to the web host', () => {
  it('keeps it in the snapshots folder under the chosen name and opens it read-only', async () => {
    const { app, upload, files } = await webHost();
    const reply = await upload(await snapshotBytes(), 'incident 4711.snapshot');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: true,
      data: { file: 'incident 4711.snapshot', note: 'from the ticket', counts: { servers: 1 } },
    });
    expect(app.info()).toMatchObject({ mode: 'snapshot', readOnly: true, snapshot: { file: 'incident 4711.snapshot' } });
    expect((await call(app, 'fleet:list-servers', {})).map((s) => s.alias)).toEqual(['incident-sw']);
    expect(files()).toEqual(['incident 4711.snapshot']);

    // The same name again: a second copy beside it, never over it.
    const again = await upload(await snapshotBytes(), 'incident 4711.snapshot');
    expect(JSON.parse(again.body)).toMatchObject({ ok: true, data: { file: 'incident 4711 (2).snapshot' } });
  });

  it('refuses a file that is not a snapshot with the clear message, and removes it', async () => {
    const { app, upload, files } = await webHost();
    const reply = await upload('these are holiday photos, not a database', 'photos.snapshot');
    expect(JSON.parse(reply.body)).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'file',
        message: 'photos.snapshot is not a Switchyard snapshot: it is not a SQLite database at all.',
      },
    });
    expect(files()).toEqual([]);
    expect(app.info().mode).toBe('live');
    const empty = await upload('', 'nothing.snapshot');
    expect(empty.status).toBe(400);
    expect(files()).toEqual([]);
  });

  it('names the copy itself: a path sent as the name stays inside the folder', async () => {
    const { upload, files } = await webHost();
    const reply = await upload(await snapshotBytes(), '../../../etc/passwd');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, data: { file: 'passwd.snapshot' } });
    expect(files()).toEqual(['passwd.snapshot']);
  });

  it('needs the token, the octet-stream type and a size within the limit; nothing is left behind', async () => {
    const { upload, files, app } = await webHost();
    const bytes = await snapshotBytes();
    expect((await upload(bytes, 'a.snapshot', {})).status).toBe(401);
    expect((await upload(bytes, 'a.snapshot', bearer('f'.repeat(64)))).status).toBe(401);
    const { web } = opened[0] ?? { web: null };
    if (web === null) throw new Error('no web host');
    const wrongType = await send(web.port, {
      method: 'POST',
      path: SNAPSHOT_UPLOAD_PATH,
      headers: { ...bearer(web.token), 'content-type': 'multipart/form-data; boundary=x' },
      body: bytes,
    });
    expect(wrongType.status).toBe(415);
    const big = await upload(Buffer.alloc(LIMIT + 1, 1), 'big.snapshot');
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({
      ok: false,
      error: { field: 'file', message: 'The file is larger than 4 MiB, the most a snapshot upload may be.' },
    });
    expect(files()).toEqual([]);
    expect(app.info().mode).toBe('live');
  });
});

describe('"Open snapshot file…" in the desktop shell', () => {
  it('opens the path the shell chose, from anywhere; cancelling changes nothing', async () => {
    const outside = path.join(tempDir(), 'from-the-ticket.snapshot');
    writeFileSync(outside, await snapshotBytes());
    let answer: string | null = null;
    const app = openHost({ dataDir: tempDir(), log: () => {}, pickSnapshotFile: () => Promise.resolve(answer) });
    try {
      expect(await call(app, 'snapshots:open-file', {})).toBeNull();
      expect(app.info().mode).toBe('live');
      answer = outside;
      expect(await call(app, 'snapshots:open-file', {})).toMatchObject({ file: 'from-the-ticket.snapshot', note: 'from the ticket' });
      expect(app.info()).toMatchObject({ mode: 'snapshot', snapshot: { file: 'from-the-ticket.snapshot' } });
      // A renderer still cannot name that path itself.
      await expect(call(app, 'snapshots:open', { file: outside })).rejects.toThrow(/is a path/);
    } finally {
      await app.close();
    }
  });

  it('is refused with the way to do it in a console without a shell (the web host)', async () => {
    const app = openTestHost(tempDir());
    try {
      await expect(call(app, 'snapshots:open-file', {})).rejects.toThrow(/drop the snapshot file on the Snapshots page/);
    } finally {
      await app.close();
    }
  });
});
