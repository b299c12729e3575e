import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './command-list';
import { helpRequest, topLevelCommands, usageLine } from './command-help';
import { main } from './main';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('the command list', () => {
  it('gives every command and subcommand a --help, -h and `help NAME` that print its synopsis and description, exit 0', async () => {
    for (const entry of COMMANDS) {
      const words = entry.name.split(' ');
      for (const argv of [
        [...words, '--help'],
        [...words, '-h'],
        ['help', ...words],
      ]) {
        const r = await run(argv);
        expect(r.code, argv.join(' ')).toBe(0);
        expect(r.err, argv.join(' ')).toBe('');
        expect(r.out, argv.join(' ')).toMatch(/^Usage:\n/);
        expect(r.out, argv.join(' ')).toContain(`  ${usageLine(entry)}\n`);
        expect(r.out.replace(/\s+/g, ' '), argv.join(' ')).toContain(entry.description.replace(/\s+/g, ' '));
      }
    }
  });

  it('lists every entry in the global usage, once', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    for (const entry of COMMANDS) expect(r.out.split(`  ${usageLine(entry)}\n`), entry.name).toHaveLength(2);
    expect((await run(['--help'])).out).toBe(r.out);
    // `switchyard` alone is a usage error: the same text, exit 2.
    const bare = await run([]);
    expect(bare).toMatchObject({ code: 2, out: r.out });
  });

  it('has an entry for every command main() dispatches, and dispatches every entry', () => {
    const source = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
    const dispatched = [...source.matchAll(/command === '([a-z][a-z-]*)'/g)].map((m) => m[1]);
    const listed = topLevelCommands().filter((c) => c !== 'help');
    expect(new Set(dispatched)).toEqual(new Set(listed));
  });

  it('takes the leading words as the command, so an argument or option before --help still gets its help', async () => {
    expect(helpRequest(['silence', 'us-east-sw1', '--for', '1h', '--help'])).toEqual({ kind: 'command', path: 'silence' });
    expect(helpRequest(['monitor', 'series', 'x', '-h'])).toEqual({ kind: 'command', path: 'monitor series' });
    expect(helpRequest(['parse', 'ping', '-', '--', '--help'])).toBeNull();
    expect(helpRequest(['help', 'fleet', 'nope'])).toEqual({ kind: 'unknown', words: 'fleet nope' });
    const group = await run(['apiban', 'allow', '--help']);
    expect(group.out.match(/^ {2}switchyard apiban allow (list|add|remove)/gm)).toHaveLength(3);
  });

  it('refuses an unknown command with one line naming it, exit 2, not the whole usage', async () => {
    for (const argv of [['frobnicate'], ['frobnicate', '--help'], ['help', 'frobnicate']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out, argv.join(' ')).toBe('');
      expect(r.err, argv.join(' ')).toBe('switchyard: unknown command "frobnicate"; see `switchyard help`.\n');
    }
  });

  it('prints the version from package.json for --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, out: `switchyard ${version}\n`, err: '' });
    expect((await run(['-V'])).out).toBe(`switchyard ${version}\n`);
  });

  it("follows a usage error with the misused command's usage only", async () => {
    const r = await run(['fleet', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^switchyard: Unknown fleet command "frobnicate"\.\n\nUsage:\n {2}switchyard fleet list/);
    expect(r.err).not.toContain('switchyard serve');
  });
});
