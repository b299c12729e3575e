import { open, readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { createAssetCache, type AssetCache, type CachedAsset } from './asset-cache';
import { cacheControlFor, chooseEncoding, entityTag, isHashedAsset, noneMatch, SUFFIX, type StoredEncoding } from './content-negotiation';
import { sendBody, sendPage } from './responses';
import { decodePath, type StaticFiles } from './static-files';
import { sendPageWithAnswers } from './first-screen';
import type { Dispatch } from '../dispatch';

// GET/HEAD of the built renderer: the file (or its brotli/gzip copy written at build time, as
// the browser accepts), cached for a year when its name is hashed and revalidated otherwise, and
// answered 304 when the browser already holds the same bytes. `answers`: the dispatch of a caller
// already known to be authorised, whose first calls' answers go into the page (first-screen.ts).

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  files: StaticFiles,
  urlPath: string,
  head: boolean,
  answers: Dispatch | null = null,
): Promise<void> {
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return sendPage(res, 405, 'Method not allowed', 'Only GET and HEAD are served here.');
  }
  const cache = cacheOf(files);
  const decoded = decodePath(urlPath);
  const hit = decoded === null ? undefined : cache.get(decoded);
  if (hit !== undefined) return sendCached(req, res, hit, head);
  const found = await files.locate(urlPath);
  switch (found.kind) {
    case 'refused':
      return sendPage(res, 400, 'Bad request', 'That path is not served.', head);
    case 'not-found':
      return sendPage(res, 404, 'Not found', 'No such file.', head);
    case 'no-index':
      return sendPage(res, 503, 'Renderer not built', 'The renderer is not built: run <code>npm run build:ui</code>.', head);
    case 'file':
      if (decoded !== null && isHashedAsset(relativeTo(files, found.file))) {
        const headers = { contentType: found.contentType, cacheControl: cacheControlFor(relativeTo(files, found.file)) };
        return sendCached(req, res, await cache.load(decoded, found.file, headers), head);
      }
      if (found.isHtml && answers !== null && !head && found.file === path.join(files.root, 'index.html')) {
        return sendPageWithAnswers(res, (await files.read(found.file)).toString('utf8'), answers);
      }
      return sendFile(req, res, files, found.file, found.contentType, head);
  }
}

/**
 * Reads the renderer's hashed files into memory when a host starts, so the first page opened
 * waits on no file: a request that finds its file missing from the cache locates and reads it
 * in a dozen file-system steps, each waiting for a turn of an event loop that, on a host probing
 * 10,000 servers and writing the page's answers meanwhile, is 50–200 ms long (the first open
 * after start got its scripts about 600 ms after asking). Returns the files now held; a folder
 * without assets holds none. Never throws: a file it cannot read is read when asked for.
 */
export async function preloadAssets(files: StaticFiles): Promise<number> {
  const cache = cacheOf(files);
  const names = await readdir(path.join(files.root, 'assets')).catch(() => [] as string[]);
  for (const name of names) {
    const urlPath = `/assets/${name}`;
    const decoded = decodePath(urlPath);
    if (decoded === null || !isHashedAsset(urlPath) || cache.get(decoded) !== undefined) continue;
    const found = await files.locate(urlPath).catch(() => null);
    if (found?.kind !== 'file') continue;
    const headers = { contentType: found.contentType, cacheControl: cacheControlFor(relativeTo(files, found.file)) };
    await cache.load(decoded, found.file, headers).catch(() => null);
  }
  return names.filter((name) => cache.get(`/assets/${name}`) !== undefined).length;
}

const caches = new WeakMap<StaticFiles, AssetCache>();

function cacheOf(files: StaticFiles): AssetCache {
  let cache = caches.get(files);
  if (cache === undefined) caches.set(files, (cache = createAssetCache(files)));
  return cache;
}

function relativeTo(files: StaticFiles, file: string): string {
  return path.relative(files.root, file).split(path.sep).join('/');
}

/** A hashed file from memory: the same headers, validators and codings as from disk. */
function sendCached(req: IncomingMessage, res: ServerResponse, asset: CachedAsset, head: boolean): void {
  const encoding = chooseEncoding(req.headers['accept-encoding'], [...asset.stored.keys()]);
  const copy = encoding === null ? asset.identity : asset.stored.get(encoding)!;
  res.setHeader('Cache-Control', asset.cacheControl);
  res.setHeader('ETag', copy.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (encoding !== null) res.setHeader('Content-Encoding', encoding);
  if (noneMatch(req.headers['if-none-match'], copy.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  sendBody(res, 200, asset.contentType, copy.body, head);
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  files: StaticFiles,
  file: string,
  contentType: string,
  head: boolean,
): Promise<void> {
  const original = await open(file, 'r');
  try {
    const stat = await original.stat();
    const variants = await storedVariants(files, file, stat.mtimeMs);
    const encoding = chooseEncoding(req.headers['accept-encoding'], [...variants.keys()]);
    // The copy is opened before anything is sent: a build replacing it meanwhile still yields
    // one consistent answer (bytes, length and validator from the same open file).
    const handle = encoding === null ? original : await open(variants.get(encoding)!, 'r');
    try {
      const sent = encoding === null ? stat : await handle.stat();
      const etag = entityTag(sent.size, sent.mtimeMs, encoding);
      res.setHeader('Cache-Control', cacheControlFor(relativeTo(files, file)));
      res.setHeader('ETag', etag);
      // The same URL answers differently by Accept-Encoding: a shared cache must key on it.
      res.setHeader('Vary', 'Accept-Encoding');
      if (encoding !== null) res.setHeader('Content-Encoding', encoding);
      if (noneMatch(req.headers['if-none-match'], etag)) {
        res.statusCode = 304;
        res.end();
        return;
      }
      if (head) {
        res.statusCode = 200;
        res.setHeader('Content-Type', contentType);
        res.setHeader('Content-Length', sent.size);
        res.end();
        return;
      }
      return sendBody(res, 200, contentType, await handle.readFile());
    } finally {
      if (handle !== original) await handle.close();
    }
  } finally {
    await original.close();
  }
}

/** Precompressed copies no older than the file itself (an older one would be of another build). */
async function storedVariants(files: StaticFiles, file: string, mtimeMs: number): Promise<Map<StoredEncoding, string>> {
  const found = new Map<StoredEncoding, string>();
  for (const coding of ['br', 'gzip'] as const) {
    const copy = await files.sibling(file, SUFFIX[coding]);
    const copied = copy === null ? null : await stat(copy).catch(() => null);
    if (copy !== null && copied !== null && copied.mtimeMs >= mtimeMs) found.set(coding, copy);
  }
  return found;
}
