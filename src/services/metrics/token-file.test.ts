import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test/helpers/temp-dir';
import { loadTokenFile } from './token-file';

const tempDir = useTempDirs();

describe('token file', () => {
  it('makes a missing file with 32 random bytes as hex, mode 0600, and nothing else beside it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'token');
    const token = loadTokenFile(file);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8')).toBe(`${token}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['token']);
  });

  it('reads the same token back at every start', () => {
    const file = path.join(tempDir(), 'token');
    const first = loadTokenFile(file);
    expect(loadTokenFile(file)).toBe(first);
    // One an operator made with `openssl rand -hex 32`, without a final line feed.
    writeFileSync(file, 'ab'.repeat(32), { mode: 0o600 });
    expect(loadTokenFile(file)).toBe('ab'.repeat(32));
  });

  it('accepts a file its group may read (shared with a prometheus group) but not one others may', () => {
    const file = path.join(tempDir(), 'token');
    const token = loadTokenFile(file);
    chmodSync(file, 0o640);
    expect(loadTokenFile(file)).toBe(token);
    for (const mode of [0o644, 0o604, 0o660, 0o602]) {
      chmodSync(file, mode);
      expect(() => loadTokenFile(file)).toThrow(new RegExp(`other users \\(mode 0${mode.toString(8)}\\).*chmod 600`));
    }
  });

  it('refuses a file whose content is not a token, and leaves it as it was', () => {
    const file = path.join(tempDir(), 'token');
    for (const content of [
      '',
      'short\n',
      `${'g'.repeat(64)}\n`,
      `${'a'.repeat(64)}\n\n`,
      `${'A'.repeat(64)}\n`,
      `${'a'.repeat(64)} extra\n`,
      'a'.repeat(5_000),
    ]) {
      writeFileSync(file, content, { mode: 0o600 });
      expect(() => loadTokenFile(file)).toThrow(/does not hold a Switchyard token.*64 hexadecimal digits/);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('refuses a folder, a missing parent folder, and a broken symbolic link with a clear message', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'folder'));
    expect(() => loadTokenFile(path.join(dir, 'folder'))).toThrow(/is not a regular file/);
    expect(() => loadTokenFile(path.join(dir, 'missing', 'token'))).toThrow(/Cannot create the token file .*its folder does not exist/);
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    expect(() => loadTokenFile(path.join(dir, 'dangling'))).toThrow(/neither read nor made/);
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'folder']);
  });
});
