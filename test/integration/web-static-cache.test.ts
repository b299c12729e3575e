import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressFiles } from '../../vite.precompress';
import { INDEX_MARK, SECRET, startFixture, type Fixture } from '../helpers/web-client';

// The renderer as a production build is served: hashed files cached for a year, the page
// revalidated, brotli or gzip copies written at build time chosen by Accept-Encoding (identity
// otherwise), 304 for a validator the browser already holds, and the path checks unchanged.

const HASHED = 'assets/index-DQKRf9WE.js';
const SCRIPT = `export const fleet = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ alias: `sw-${i}`, ip: `127.0.${i % 250}.1` })))};\n`;

let fx: Fixture;
let port: number;

interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with exactly these headers (fetch would add its own Accept-Encoding and decode). */
function get(pathName: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: pathName, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  fx = await startFixture();
  port = fx.host.port;
  await writeFile(path.join(fx.staticDir, HASHED), SCRIPT);
  await writeFile(
    path.join(fx.staticDir, 'index.html'),
    `<!doctype html><title>Switchyard</title>${INDEX_MARK}${'<p>fleet</p>'.repeat(200)}`,
  );
  const written = await precompressFiles(fx.staticDir, [HASHED, 'index.html', 'assets/app.css']);
  // The tiny stylesheet gains nothing from compression: no copy is written, identity serves it.
  expect(written.find((w) => w.file === 'assets/app.css')).toMatchObject({ br: null, gz: null });
  expect(written.find((w) => w.file === HASHED)?.br).toBeLessThan(SCRIPT.length / 3);
});
afterAll(() => fx.close());

describe('serving the production build', () => {
  it('sends the brotli copy to a browser, with its own length, validator and a year of cache', async () => {
    const reply = await get(`/${HASHED}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('br');
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+-br"$/);
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(brotliDecompressSync(reply.body).toString('utf8')).toBe(SCRIPT);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends gzip where brotli is not accepted, and identity where neither is', async () => {
    const gz = await get(`/${HASHED}`, { 'accept-encoding': 'gzip;q=0.8, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(SCRIPT);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    for (const header of [undefined, 'identity', 'deflate', '*;q=0', 'br;q=nope', 'gzip'.padStart(5000, ',')]) {
      const plain = await get(`/${HASHED}`, header === undefined ? {} : { 'accept-encoding': header });
      expect(plain.status, String(header)).toBe(200);
      expect(plain.headers['content-encoding'], String(header)).toBeUndefined();
      expect(plain.body.toString('utf8')).toBe(SCRIPT);
      expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(SCRIPT));
      expect(plain.headers.vary).toBe('Accept-Encoding');
    }
  });

  it("answers HEAD with the chosen copy's headers and no body", async () => {
    const brotli = await get(`/${HASHED}`, { 'accept-encoding': 'br' });
    const head = await get(`/${HASHED}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(brotli.headers['content-length']);
    expect(head.headers.etag).toBe(brotli.headers.etag);
  });

  it('answers 304 for the validator of the same copy, 200 for another', async () => {
    const first = await get(`/${HASHED}`, { 'accept-encoding': 'br' });
    const etag = first.headers.etag ?? '';
    const again = await get(`/${HASHED}`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The gzip copy is other bytes: the brotli validator does not stand for it.
    const other = await get(`/${HASHED}`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('revalidates the page: no-cache, then 304 while it is unchanged and 200 once rebuilt', async () => {
    const page = await get('/fleet', { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.body).toString('utf8')).toContain(INDEX_MARK);
    const etag = page.headers.etag ?? '';
    expect((await get('/', { 'accept-encoding': 'br', 'if-none-match': etag })).status).toBe(304);
    // A new build: index.html and its copies rewritten.
    const index = path.join(fx.staticDir, 'index.html');
    await writeFile(index, `${await readFile(index, 'utf8')}<p>new build</p>`);
    await precompressFiles(fx.staticDir, ['index.html']);
    const rebuilt = await get('/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(rebuilt.status).toBe(200);
    expect(brotliDecompressSync(rebuilt.body).toString('utf8')).toContain('new build');
  });

  it('ignores a copy older than its file (left from another build)', async () => {
    const file = path.join(fx.staticDir, 'assets/stale-AAAAAAAA.js');
    await writeFile(file, SCRIPT);
    await precompressFiles(fx.staticDir, ['assets/stale-AAAAAAAA.js']);
    const past = new Date(Date.now() - 3_600_000);
    await utimes(`${file}.br`, past, past);
    const reply = await get('/assets/stale-AAAAAAAA.js', { 'accept-encoding': 'br, gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(reply.body).toString('utf8')).toBe(SCRIPT);
  });

  it('never follows a copy that is a symlink out of the folder', async () => {
    await writeFile(path.join(fx.staticDir, 'assets/linked-BBBBBBBB.js'), SCRIPT);
    await symlink(path.join(fx.dir, 'secret.txt'), path.join(fx.staticDir, 'assets/linked-BBBBBBBB.js.br'));
    const reply = await get('/assets/linked-BBBBBBBB.js', { 'accept-encoding': 'br' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.body.toString('utf8')).toBe(SCRIPT);
  });

  it('keeps a hashed file in memory once read: the same bytes, headers and validators, with no disk read', async () => {
    const name = 'assets/kept-CCCCCCCC.js';
    const file = path.join(fx.staticDir, name);
    await writeFile(file, SCRIPT);
    await precompressFiles(fx.staticDir, [name]);
    const first = {
      br: await get(`/${name}`, { 'accept-encoding': 'br' }),
      plain: await get(`/${name}`),
      head: await get(`/${name}`, {}, 'HEAD'),
    };
    // Gone from disk: a hashed name's bytes never change, so the host still answers it, identically.
    await rm(file);
    await rm(`${file}.br`);
    await rm(`${file}.gz`, { force: true });
    const again = {
      br: await get(`/${name}`, { 'accept-encoding': 'br' }),
      plain: await get(`/${name}`),
      head: await get(`/${name}`, {}, 'HEAD'),
    };
    for (const kind of ['br', 'plain', 'head'] as const) {
      expect(again[kind].status, kind).toBe(200);
      expect(again[kind].body.equals(first[kind].body), kind).toBe(true);
      for (const header of ['etag', 'content-encoding', 'content-length', 'content-type', 'cache-control', 'vary']) {
        expect(again[kind].headers[header], `${kind} ${header}`).toBe(first[kind].headers[header]);
      }
    }
    expect(brotliDecompressSync(again.br.body).toString('utf8')).toBe(SCRIPT);
    expect(again.head.body.length).toBe(0);
    expect((await get(`/${name}`, { 'accept-encoding': 'br', 'if-none-match': first.br.headers.etag ?? '' })).status).toBe(304);
    // The same file under another spelling of its path is the same entry, not a second copy.
    expect((await get(`/assets/%6Bept-CCCCCCCC.js`)).body.toString('utf8')).toBe(SCRIPT);
  });

  it('reads the page and unhashed files from disk every time', async () => {
    const name = 'assets/app.css';
    const before = await get(`/${name}`);
    await writeFile(path.join(fx.staticDir, name), 'body { color: red }\n');
    const after = await get(`/${name}`);
    expect(after.body.toString('utf8')).toBe('body { color: red }\n');
    expect(after.body.equals(before.body)).toBe(false);
    expect(after.headers['cache-control']).toBe('no-cache');
  });

  it('keeps traversal refused whatever the Accept-Encoding', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/../secret.txt.br']) {
      for (const header of ['br', 'gzip', '*', 'br;q=0.5, ../../secret']) {
        const reply = await get(attempt, { 'accept-encoding': header });
        expect([400, 404], `${attempt} ${header}`).toContain(reply.status);
        expect(reply.body.toString('latin1')).not.toContain(SECRET);
        expect(reply.headers['content-encoding']).toBeUndefined();
      }
    }
  });
});
