import { readFile, realpath, stat } from 'node:fs/promises';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

// The built renderer, and nothing else on disk. The request path is checked as sent (before
// any URL normalisation could fold `..` away), then resolved and checked against the root again,
// then its real path (symlinks followed) checked once more.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type Located =
  { kind: 'file'; file: string; contentType: string; isHtml: boolean } | { kind: 'refused' } | { kind: 'not-found' } | { kind: 'no-index' };

export interface StaticFiles {
  readonly root: string;
  locate(rawPath: string): Promise<Located>;
  read(file: string): Promise<Buffer>;
  /**
   * `FILE + suffix` (a precompressed copy) when it is a regular file inside the root, symlinks
   * followed and checked like any request, else null.
   */
  sibling(file: string, suffix: string): Promise<string | null>;
}

export function openStaticFiles(staticDir: string): StaticFiles {
  const root = realpathSync(path.resolve(staticDir));
  if (!statSync(root).isDirectory()) throw new Error(`${staticDir} is not a folder of built renderer files.`);
  const index = path.join(root, 'index.html');

  const inside = (file: string) => file.startsWith(root + path.sep);

  async function realFile(candidate: string): Promise<string | null> {
    try {
      const real = await realpath(candidate);
      return inside(real) && (await stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  async function indexPage(): Promise<Located> {
    const real = await realFile(index);
    return real === null ? { kind: 'no-index' } : { kind: 'file', file: real, contentType: CONTENT_TYPES['.html']!, isHtml: true };
  }

  return {
    root,
    async locate(rawPath) {
      const decoded = decodePath(rawPath);
      if (decoded === null) return { kind: 'refused' };
      if (decoded === '/') return indexPage();
      const candidate = path.resolve(root, `.${decoded}`);
      if (!inside(candidate)) return { kind: 'refused' };
      const real = await realFile(candidate);
      if (real !== null) {
        const contentType = contentTypeOf(real);
        return { kind: 'file', file: real, contentType, isHtml: contentType.startsWith('text/html') };
      }
      // A path without a dot in its last segment is a client-side route: the renderer handles it.
      const last = decoded.slice(decoded.lastIndexOf('/') + 1);
      return last.includes('.') ? { kind: 'not-found' } : indexPage();
    },
    read: (file) => readFile(file),
    sibling: (file, suffix) => realFile(`${file}${suffix}`),
  };
}

/**
 * The decoded path, or null when it must not reach the file system: encoded slashes or
 * backslashes (they would change which segments exist), NUL, `..` or `.` segments, hidden files,
 * malformed percent-escapes.
 */
export function decodePath(rawPath: string): string | null {
  if (!rawPath.startsWith('/')) return null;
  if (/%(2f|5c|00)/i.test(rawPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return null;
  return decoded;
}
