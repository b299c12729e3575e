// The pure rules of serving the renderer's files: which stored encoding answers an
// Accept-Encoding header, how long a file may be cached, and whether a conditional request
// already holds the current version. No IO here; static-serve.ts applies them.

export type StoredEncoding = 'br' | 'gzip';

/** The file suffix each precompressed copy is stored under (vite.precompress.ts writes them). */
export const SUFFIX: Record<StoredEncoding, string> = { br: '.br', gzip: '.gz' };

/** A header longer than this is not parsed: the file goes out uncompressed, which is always safe. */
const MAX_ACCEPT_ENCODING = 1024;

/**
 * The encoding to send, best first among those stored, or null for identity. RFC 9110 §12.5.3:
 * `q=0` refuses a coding, `*` covers codings not named, a header that names nothing usable (or
 * cannot be read) gets identity. Ties go to brotli, the smaller of the two.
 */
export function chooseEncoding(header: string | string[] | undefined, stored: readonly StoredEncoding[]): StoredEncoding | null {
  if (stored.length === 0 || header === undefined) return null;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.length > MAX_ACCEPT_ENCODING) return null;
  const weights = new Map<string, number>();
  for (const part of text.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = (rawName ?? '').trim().toLowerCase();
    if (!/^(?:[a-z0-9!#$%&'*+.^_`|~-]+)$/.test(name)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9](?:\.[0-9]{0,3})?)\s*$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
      else if (/^\s*q\s*=/i.test(param)) q = 0; // a malformed weight is not read as consent
    }
    // x-gzip is gzip's old name (RFC 9110 §8.4.1.3).
    const key = name === 'x-gzip' ? 'gzip' : name;
    weights.set(key, Math.max(weights.get(key) ?? 0, q));
  }
  const weightOf = (coding: StoredEncoding) => weights.get(coding) ?? weights.get('*') ?? 0;
  let best: StoredEncoding | null = null;
  let bestQ = 0;
  for (const coding of ['br', 'gzip'] as const) {
    if (!stored.includes(coding)) continue;
    const q = weightOf(coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/**
 * The build's hashed files (`assets/index-DQKRf9WE.js`, vite's `[name]-[hash]`) never change
 * under their name: a year, immutable. Everything else (index.html, which names the current
 * assets, and any unhashed file) is revalidated on every use.
 */
export function cacheControlFor(relativePath: string): string {
  return isHashedAsset(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export function isHashedAsset(relativePath: string): boolean {
  return /^\/?assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/.test(relativePath);
}

/** A strong validator of the bytes sent: size and modification time of the stored file, and its coding. */
export function entityTag(size: number, mtimeMs: number, encoding: StoredEncoding | null): string {
  return `"${size.toString(16)}-${Math.trunc(mtimeMs).toString(16)}${encoding === null ? '' : `-${encoding}`}"`;
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly; `*` matches any current file. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return header.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === wanted);
}
