import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// ssh2 trusts any host key when a connection is made without a hostVerifier. Switchyard makes
// every connection in src/services/ssh/connect.ts, which always passes one; this test fails the
// moment another file constructs an ssh2 Client or calls connect on one.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join('src', 'services', 'ssh', 'connect.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs|svelte)$/.test(name) ? [full] : [];
  });
}

const files = ['src', 'electron', 'bin', 'scripts'].flatMap((dir) => {
  try {
    return sourceFiles(path.join(ROOT, dir));
  } catch {
    return [];
  }
});

describe('one way to make an SSH connection', () => {
  it('only connect.ts imports the ssh2 Client as a value', () => {
    const importers = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      // Value imports and requires of ssh2; `import type` cannot construct anything.
      return (
        (/import\s+(?!type\b)[^;]*from\s+['"]ssh2['"]/.test(text) &&
          /\bClient\b/.test(text.match(/import\s+(?!type\b)[^;]*from\s+['"]ssh2['"]/)?.[0] ?? '')) ||
        /require\(\s*['"]ssh2['"]\s*\)/.test(text)
      );
    });
    expect(importers.map((f) => path.relative(ROOT, f))).toEqual([ENTRY]);
  });

  it('nothing else constructs a Client or calls .connect( on one', () => {
    const offenders = files
      .filter((file) => path.relative(ROOT, file) !== ENTRY)
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        if (!/['"]ssh2['"]/.test(text)) return false;
        return /new\s+Client\s*\(/.test(text) || /\.connect\s*\(/.test(text);
      });
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('connect.ts constructs exactly one Client and always passes hostVerifier', () => {
    const text = readFileSync(path.join(ROOT, ENTRY), 'utf8');
    expect(text.match(/new\s+Client\s*\(/g)).toHaveLength(1);
    expect(text.match(/client\.connect\s*\(/g)).toHaveLength(1);
    const config = text.slice(text.indexOf('const config: ConnectConfig = {'), text.indexOf('client.connect(config)'));
    expect(config).toMatch(/^\s+hostVerifier,$/m);
  });
});
