import { describe, expect, it } from 'vitest';
import { defaultSnapshotName, snapshotNameProblem, uploadFileName, withSnapshotExtension } from './file-name';

describe('snapshot file names from the UI', () => {
  it.each(['incident-4711.snapshot', 'switchyard-2026-11-25T12-00-00Z.snapshot', 'Before upgrade (eu).snapshot'])('accepts %s', (name) => {
    expect(snapshotNameProblem(name)).toBeNull();
  });

  it.each([
    ['../switchyard.db', 'path'],
    ['..', '..'],
    ['a..b.snapshot', '..'],
    ['/etc/passwd', 'path'],
    ['C:evil.snapshot', 'absolute'],
    ['sub\\x.snapshot', 'path'],
    ['.hidden', 'not a usable'],
    ['', 'empty'],
    ['x'.repeat(201), 'not a usable'],
    ['nul\u0000.snapshot', 'not a usable'],
  ])('refuses %j with a reason naming the problem', (name, word) => {
    expect(snapshotNameProblem(name)).toContain(word);
  });

  it('adds the extension only when missing', () => {
    expect(withSnapshotExtension('a')).toBe('a.snapshot');
    expect(withSnapshotExtension('a.snapshot')).toBe('a.snapshot');
  });

  it('names default snapshots by their UTC time, without colons', () => {
    expect(defaultSnapshotName(Date.UTC(2026, 10, 25, 12, 3, 4))).toBe('switchyard-2026-11-25T12-03-04Z.snapshot');
  });
});

describe('uploadFileName', () => {
  const none = () => false;
  it('keeps a usable name and adds the extension', () => {
    expect(uploadFileName('incident-4711.snapshot', none)).toBe('incident-4711.snapshot');
    expect(uploadFileName('incident-4711', none)).toBe('incident-4711.snapshot');
  });

  it('never yields a path or a hidden or dotted name, whatever was sent', () => {
    for (const hostile of ['../../etc/passwd', 'C:\\Windows\\evil.snapshot', '..snapshot', '.hidden', '', '/', 'a/..', 'ü€😀.snapshot']) {
      const name = uploadFileName(hostile, none);
      expect(snapshotNameProblem(name), `${hostile} → ${name}`).toBeNull();
    }
    expect(uploadFileName('../../etc/passwd', none)).toBe('passwd.snapshot');
  });

  it('counts up when the name is taken', () => {
    const taken = new Set(['a.snapshot', 'a (2).snapshot']);
    expect(uploadFileName('a.snapshot', (n) => taken.has(n))).toBe('a (3).snapshot');
  });
});
