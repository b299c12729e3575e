import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssetCache } from './asset-cache';
import { openStaticFiles } from './static-files';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(tmpdir(), 'switchyard-assets-'));
  mkdirSync(path.join(dir, 'assets'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const headers = { contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' };

describe('the hashed-asset cache', () => {
  it('keeps files while they fit its budget and hands back the rest without keeping them', async () => {
    const root = folder({ 'index.html': '<p>x</p>', 'assets/a-AAAAAAAA.js': 'a'.repeat(600), 'assets/b-BBBBBBBB.js': 'b'.repeat(600) });
    const cache = createAssetCache(openStaticFiles(root), 1_000);
    const a = await cache.load('/assets/a-AAAAAAAA.js', path.join(root, 'assets/a-AAAAAAAA.js'), headers);
    const b = await cache.load('/assets/b-BBBBBBBB.js', path.join(root, 'assets/b-BBBBBBBB.js'), headers);
    expect(a.identity.body.toString()).toBe('a'.repeat(600));
    expect(b.identity.body.toString()).toBe('b'.repeat(600));
    expect(cache.get('/assets/a-AAAAAAAA.js')).toBe(a);
    expect(cache.get('/assets/b-BBBBBBBB.js')).toBeUndefined();
    expect(cache.bytes).toBe(600);
  });

  it('keeps the compressed copies with their own validators', async () => {
    const root = folder({ 'index.html': '<p>x</p>', 'assets/c-CCCCCCCC.js': 'c'.repeat(100), 'assets/c-CCCCCCCC.js.br': 'brotli' });
    const cache = createAssetCache(openStaticFiles(root));
    const c = await cache.load('/assets/c-CCCCCCCC.js', path.join(root, 'assets/c-CCCCCCCC.js'), headers);
    expect([...c.stored.keys()]).toEqual(['br']);
    expect(c.stored.get('br')?.etag).toMatch(/-br"$/);
    expect(c.identity.etag).not.toBe(c.stored.get('br')?.etag);
  });
});
