// A host reads the renderer's hashed files into memory when it starts: the first page opened is
// served them without touching the disk (here: after they are gone from it), with their
// compressed copies; files without a hash in their name are still read from disk per request.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openStaticFiles } from './static-files';
import { preloadAssets, serveStatic } from './static-serve';

let dir = '';
let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string | Buffer>): string {
  dir = mkdtempSync(path.join(tmpdir(), 'switchyard-preload-'));
  mkdirSync(path.join(dir, 'assets'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('preloading the renderer files', () => {
  it('serves every hashed file and its compressed copy from memory, and reads the others from disk', async () => {
    const root = folder({
      'index.html': '<p>x</p>',
      'assets/index-AbC123xy.js': 'console.log(1)',
      'assets/index-AbC123xy.js.br': brotliCompressSync('console.log(1) /* as compressed */'),
      'assets/style-DdEe_Ff0.css': 'p{}',
      'assets/plain.js': 'unhashed',
    });
    const files = openStaticFiles(root);
    expect(await preloadAssets(files)).toBe(2);
    for (const name of ['index-AbC123xy.js', 'index-AbC123xy.js.br', 'style-DdEe_Ff0.css', 'plain.js'])
      rmSync(path.join(root, 'assets', name));

    server = createServer((req, res) => void serveStatic(req, res, files, req.url ?? '/', req.method === 'HEAD'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = (p: string, encoding = 'identity') => fetch(base + p, { headers: { 'accept-encoding': encoding } });

    const js = await get('/assets/index-AbC123xy.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toBe('console.log(1)');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const br = await get('/assets/index-AbC123xy.js', 'br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe('console.log(1) /* as compressed */');
    expect((await get('/assets/style-DdEe_Ff0.css')).status).toBe(200);
    // Not hashed: its bytes may change with a rebuild, so it is read per request (and is gone).
    expect((await get('/assets/plain.js')).status).toBe(404);
  });

  it('holds nothing for a folder without assets, and does not throw', async () => {
    const root = folder({ 'index.html': '<p>x</p>' });
    rmSync(path.join(root, 'assets'), { recursive: true });
    expect(await preloadAssets(openStaticFiles(root))).toBe(0);
  });
});
