import { describe, expect, it } from 'vitest';
import { cacheControlFor, chooseEncoding, entityTag, isHashedAsset, noneMatch } from './content-negotiation';

const BOTH = ['br', 'gzip'] as const;

describe('chooseEncoding', () => {
  it('prefers brotli when both are accepted alike, as browsers send it', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', BOTH)).toBe('br');
    expect(chooseEncoding('br;q=1.0, gzip;q=0.8, *;q=0.1', BOTH)).toBe('br');
  });

  it('follows the weights the client gives', () => {
    expect(chooseEncoding('gzip;q=0.9, br;q=0.5', BOTH)).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip', BOTH)).toBe('gzip');
    expect(chooseEncoding('*', BOTH)).toBe('br');
    expect(chooseEncoding('*;q=0.5, br;q=0', BOTH)).toBe('gzip');
    expect(chooseEncoding('x-gzip', BOTH)).toBe('gzip');
    expect(chooseEncoding('GZIP', BOTH)).toBe('gzip');
  });

  it('sends only what is stored', () => {
    expect(chooseEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBeNull();
    expect(chooseEncoding('br, gzip', [])).toBeNull();
  });

  it('falls back to identity for absent, refusing or unreadable headers', () => {
    const odd = [
      undefined,
      '',
      'identity',
      'deflate',
      'br;q=0, gzip;q=0',
      '*;q=0',
      'br;q=banana',
      'br;q=-1',
      ';;;,,,',
      'br gzip',
      '\u0000br',
      'gzip;q=0.5'.padEnd(2000, ' '),
      `${'x,'.repeat(600)}br`,
    ];
    for (const header of odd) expect(chooseEncoding(header, BOTH), JSON.stringify(header)).toBeNull();
  });

  it('reads a header sent more than once', () => {
    expect(chooseEncoding(['identity', 'gzip'], BOTH)).toBe('gzip');
  });
});

describe('cacheControlFor', () => {
  it('caches hashed build files for a year and revalidates everything else', () => {
    expect(cacheControlFor('assets/index-DQKRf9WE.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('assets/echarts-runtime-C_M5kiHr.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('assets/favicon-hH-7V8NA.svg')).toBe('public, max-age=31536000, immutable');
    for (const file of ['index.html', 'assets/app.js', 'favicon.svg', 'assets/sub/x-DQKRf9WE.js', 'index-DQKRf9WE.js']) {
      expect(cacheControlFor(file), file).toBe('no-cache');
      expect(isHashedAsset(file), file).toBe(false);
    }
  });
});

describe('entityTag and noneMatch', () => {
  it('gives each stored coding its own validator', () => {
    const tags = new Set([
      entityTag(100, 1_700_000_000_000, null),
      entityTag(100, 1_700_000_000_000, 'br'),
      entityTag(100, 1_700_000_000_000, 'gzip'),
    ]);
    expect(tags.size).toBe(3);
    expect(entityTag(100, 1_700_000_000_000.5, null)).toBe(entityTag(100, 1_700_000_000_000, null));
    expect(entityTag(101, 1_700_000_000_000, null)).not.toBe(entityTag(100, 1_700_000_000_000, null));
  });

  it('matches listed, weak and wildcard tags, nothing else', () => {
    const etag = entityTag(100, 5, 'br');
    expect(noneMatch(etag, etag)).toBe(true);
    expect(noneMatch(`"other", ${etag}`, etag)).toBe(true);
    expect(noneMatch(`W/${etag}`, etag)).toBe(true);
    expect(noneMatch('*', etag)).toBe(true);
    expect(noneMatch(undefined, etag)).toBe(false);
    expect(noneMatch(entityTag(100, 5, null), etag)).toBe(false);
    expect(noneMatch('', etag)).toBe(false);
  });
});
