// Issue 16, items 1 and 2, at the host: a crafted upload is refused in bounded time while the host
// keeps answering, and leaves nothing behind to hang the next start; a file already in the folder
// costs the restarted host's listing one bounded check; a read-only host takes no upload and lets
// no viewer switch the shared view (so its monitoring never stops); uploads have a folder quota.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openHost, type HostApp } from '../../src/host/app';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { SNAPSHOT_UPLOAD_PATH, UPLOAD_NAME_HEADER } from '../../src/host/web/snapshot-upload';
import type { Sample } from '../../src/domain/monitoring/sample';
import { buildHostileCorpus } from '../fixtures/snapshots/hostile-corpus';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { bearer, send } from '../helpers/web-client';

const tempDir = useTempDirs();
const BOUND_MS = 8_000;
let corpusDir = '';

// Built once for the file (the per-test folders are removed after each test).
beforeAll(async () => {
  corpusDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-corpus-'));
  await buildHostileCorpus(corpusDir);
}, 60_000);
afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

const opened: { app: HostApp; web: WebHost | null }[] = [];
afterEach(async () => {
  for (const { app, web } of opened.splice(0)) {
    await web?.close();
    await app.close();
  }
});

async function webHost(options: { readOnly?: boolean; quota?: { files?: number; bytes?: number }; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? tempDir();
  const staticDir = path.join(tempDir(), 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Switchyard</title>');
  const app = openHost({
    dataDir,
    log: () => {},
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.quota ? { snapshotUploadQuota: options.quota } : {}),
  });
  const folder = path.join(dataDir, 'snapshots');
  const web = await startWebHost({ app, staticDir, log: () => {}, snapshotUploads: { folder } });
  opened.push({ app, web });
  const upload = (body: Buffer, name: string) =>
    send(web.port, {
      method: 'POST',
      path: SNAPSHOT_UPLOAD_PATH,
      headers: { 'content-type': 'application/octet-stream', [UPLOAD_NAME_HEADER]: encodeURIComponent(name), ...bearer(web.token) },
      body,
    });
  const files = () => (existsSync(folder) ? readdirSync(folder).sort() : []);
  return { app, web, upload, files, folder, dataDir };
}

const corpusFile = (name: string) => readFileSync(path.join(corpusDir, name));

describe('a crafted snapshot upload', () => {
  it.each(['recursive-views-8k.snapshot', 'meta-view.snapshot', 'migrations-view.snapshot', 'trigger.snapshot'])(
    'refuses %s in bounded time, answers other calls meanwhile, and keeps no copy',
    async (name) => {
      const { app, upload, files } = await webHost();
      const started = performance.now();
      const pending = upload(corpusFile(name), name);
      // The host keeps answering while the file is checked: a call made now comes back at once.
      const info = await app.dispatch('app:info', {});
      expect(info.ok).toBe(true);
      const reply = await pending;
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({
        ok: false,
        error: { field: 'file', message: expect.stringContaining(`${name} is not a Switchyard snapshot`) },
      });
      // Neither its final name nor its temporary one is left for the next start to trip over.
      expect(files()).toEqual([]);
      expect(app.info().mode).toBe('live');
    },
  );

  it('still opens a genuine upload', async () => {
    const { app, upload, files } = await webHost();
    const reply = await upload(corpusFile('genuine.snapshot'), 'incident.snapshot');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, data: { file: 'incident.snapshot', note: 'genuine' } });
    expect(files()).toEqual(['incident.snapshot']);
    expect(app.info().mode).toBe('snapshot');
  });
});

describe('a crafted file already in the snapshots folder', () => {
  it('costs the restarted host one bounded check per listing, never a hang', async () => {
    const dataDir = tempDir();
    const folder = path.join(dataDir, 'snapshots');
    mkdirSync(folder, { recursive: true });
    for (const name of ['meta-view.snapshot', 'recursive-views-8k.snapshot', 'garbage-pages.snapshot', 'genuine.snapshot'])
      copyFileSync(path.join(corpusDir, name), path.join(folder, name));
    const app = openTestHost(dataDir);
    opened.push({ app, web: null });
    const started = performance.now();
    const list = await call(app, 'snapshots:list', {});
    expect(performance.now() - started).toBeLessThan(BOUND_MS * 2);
    const byName = new Map(list.map((e) => [e.file, e]));
    expect(byName.get('genuine.snapshot')?.meta?.note).toBe('genuine');
    expect(byName.get('meta-view.snapshot')?.problem).toMatch(/view snapshot_meta is not one Switchyard writes/);
    expect(byName.get('recursive-views-8k.snapshot')?.problem).toMatch(/not one Switchyard writes/);
    // A second listing does not check unchanged files again.
    const again = performance.now();
    await call(app, 'snapshots:list', {});
    expect(performance.now() - again).toBeLessThan(500);
    // Opening it is refused the same way, and the console stays live.
    const open = await app.dispatch('snapshots:open', { file: 'meta-view.snapshot' });
    expect(open).toMatchObject({ ok: false, error: { field: 'file' } });
    expect(app.info().mode).toBe('live');
  });
});

describe('uploads on a read-only host', () => {
  it('are refused before a byte is written', async () => {
    const { upload, files, folder } = await webHost({ readOnly: true });
    const reply = await upload(corpusFile('genuine.snapshot'), 'incident.snapshot');
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: 'read-only', message: expect.stringContaining('read-only') },
    });
    expect(files()).toEqual([]);
    expect(existsSync(folder)).toBe(false);
  });
});

describe('the uploads quota', () => {
  it("refuses the upload past the folder's file count with a clear message and keeps what is there", async () => {
    const { upload, files } = await webHost({ quota: { files: 2 } });
    const bytes = corpusFile('genuine.snapshot');
    expect(JSON.parse((await upload(bytes, 'one.snapshot')).body)).toMatchObject({ ok: true });
    expect(JSON.parse((await upload(bytes, 'two.snapshot')).body)).toMatchObject({ ok: true });
    const third = await upload(bytes, 'three.snapshot');
    expect(third.status).toBe(507);
    expect(JSON.parse(third.body)).toMatchObject({
      ok: false,
      error: {
        field: 'file',
        message:
          'The snapshots folder already holds 2 files, the most it may hold for uploads is 2: delete snapshots you no longer need, then upload again.',
      },
    });
    expect(files()).toEqual(['one.snapshot', 'two.snapshot']);
  });

  it("refuses the upload past the folder's bytes", async () => {
    const bytes = corpusFile('genuine.snapshot');
    const { upload, files } = await webHost({ quota: { bytes: bytes.length + 100 } });
    expect(JSON.parse((await upload(bytes, 'one.snapshot')).body)).toMatchObject({ ok: true });
    const second = await upload(bytes, 'two.snapshot');
    expect(second.status).toBe(507);
    expect(JSON.parse(second.body).error.message).toMatch(
      /^The snapshots folder holds \d+ KiB of the \d+ KiB uploads may fill, and this file is \d+ KiB: delete snapshots/,
    );
    expect(files()).toEqual(['one.snapshot']);
  });
});

describe('a viewer on a read-only host', () => {
  it('cannot switch the shared view to a snapshot, so the probes never stop', async () => {
    const dataDir = tempDir();
    const setup = openTestHost(dataDir);
    const zone = await call(setup, 'fleet:create-zone', { name: 'EU', description: '' });
    await call(setup, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.1', alias: 'loopback' }));
    await call(setup, 'settings:update', { probeIntervalSec: 1 });
    await call(setup, 'snapshots:save', { file: 'incident', note: '' });
    await setup.close();

    const wall = openHost({ dataDir, readOnly: true, monitoring: true, log: () => {} });
    opened.push({ app: wall, web: null });
    const samples: Sample[] = [];
    wall.onSample((s) => samples.push(s));
    await until('a first sample', () => samples.length > 0, 20_000);
    for (const [method, input] of [
      ['snapshots:open', { file: 'incident.snapshot' }],
      ['snapshots:close', {}],
    ] as const) {
      const refused = await wall.dispatch(method, input);
      expect(refused, method).toMatchObject({ ok: false, error: { code: 'read-only' } });
    }
    expect(wall.info()).toMatchObject({ mode: 'live', readOnly: true });
    expect(wall.background.running).toBe(true);
    const seen = samples.length;
    await until('a sample after the refusals', () => samples.length > seen, 20_000);
  });
});
