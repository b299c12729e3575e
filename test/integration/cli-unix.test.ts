// `switchyard` as a Unix tool, run as a shell runs it: the bin's --version, help and unknown
// command; the bundled CLI printing what the TypeScript sources print; and the completion
// scripts loaded into real bash and zsh, asked what follows what the user typed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BASH = path.join(ROOT, 'resources/completions/switchyard.bash');
const ZSH_DIR = path.join(ROOT, 'resources/completions');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const tempDir = useTempDirs();

/** What bash's completion function offers for the words typed (the last one being completed). */
function bashComplete(words: string[]): string[] {
  const script = `source ${JSON.stringify(BASH)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_switchyard
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', cwd: ROOT }).split('\n').filter(Boolean);
}

/** The same through zsh's autoloaded _switchyard, with compadd/_files/_directories reporting what they were given. */
function zshComplete(words: string[]): string[] {
  const script = `fpath=(${JSON.stringify(ZSH_DIR)} $fpath)
compadd() { print -rl -- "\${@[2,-1]}" }
_files() { print -r -- '<files>' }
_directories() { print -r -- '<dirs>' }
autoload -Uz _switchyard
words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}
_switchyard`;
  return execFileSync('zsh', ['-f', '-c', script], { encoding: 'utf8', cwd: ROOT }).split('\n').filter(Boolean);
}

describe('switchyard as a Unix tool', () => {
  it('answers --version, -V, COMMAND --help and an unknown command as a Unix tool does', async () => {
    const [long, short, help, unknown] = await Promise.all([
      runCli(['--version']),
      runCli(['-V']),
      runCli(['ping', '--help']),
      runCli(['pnig', '8.8.8.8']),
    ]);
    expect(long).toEqual({ code: 0, stdout: `switchyard ${version}\n`, stderr: '' });
    expect(short.stdout).toBe(`switchyard ${version}\n`);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}switchyard ping TARGET \[--count N\]/);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'switchyard: unknown command "pnig"; see `switchyard help`.\n' });
  });

  it('prints the same `fleet list --json` from the bundle as from the TypeScript sources', async () => {
    const build = spawnSync(process.execPath, ['scripts/build-cli.js'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const data = tempDir();
    const imported = await runCli(['fleet', 'import', path.join(ROOT, 'resources/demo-fleet.json'), '--data', data]);
    expect(imported.code, imported.stderr).toBe(0);
    const list = (mode: string) => runCli(['fleet', 'list', '--json', '--data', data], { env: { SWITCHYARD_CLI: mode } });
    const [bundled, source] = await Promise.all([list('bundle'), list('source')]);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(source.code, source.stderr).toBe(0);
    expect((JSON.parse(bundled.stdout) as unknown[]).length).toBeGreaterThan(3);
    expect(bundled.stdout).toBe(source.stdout);
    // The help the bundle prints is the list's too.
    const help = (mode: string) => runCli(['help'], { env: { SWITCHYARD_CLI: mode } });
    const [bundledHelp, sourceHelp] = await Promise.all([help('bundle'), help('source')]);
    expect(bundledHelp.stdout).toBe(sourceHelp.stdout);
  }, 180_000);

  it('completes commands, subcommands, options and option values in real bash', () => {
    const registered = execFileSync('bash', ['--norc', '--noprofile', '-c', `source ${JSON.stringify(BASH)}; complete -p switchyard`], {
      encoding: 'utf8',
    });
    expect(registered.trim()).toBe('complete -o filenames -F _switchyard switchyard');
    const top = bashComplete(['switchyard', '']);
    for (const c of ['serve', 'fleet', 'probe', 'apiban', 'vantage', 'help']) expect(top).toContain(c);
    expect(bashComplete(['switchyard', 'fl'])).toEqual(['fleet']);
    expect(bashComplete(['switchyard', 'fleet', ''])).toEqual(['list', 'import', 'export']);
    expect(bashComplete(['switchyard', 'apiban', 'allow', ''])).toEqual(['list', 'add', 'remove']);
    expect(bashComplete(['switchyard', 'probe', ''])).toEqual(['sip', 'icmp', 'tcp']);
    expect(bashComplete(['switchyard', 'probe', 'sip', '127.0.0.1', '--na'])).toEqual(['--nagios']);
    expect(bashComplete(['switchyard', 'fleet', 'export', '--format', ''])).toEqual(['json', 'csv']);
    // An option's value is not taken for a subcommand: after `--reason fleet` silence still offers its own.
    expect(bashComplete(['switchyard', 'silence', '--reason', 'list', ''])).toEqual(['list', 'end']);
    expect(bashComplete(['switchyard', 'fleet', 'list', '--data', 'resou'])).toEqual(['resources']);
  });

  it('completes the same in real zsh through the autoloaded _switchyard', () => {
    expect(zshComplete(['switchyard', 'fleet', ''])).toEqual(['list', 'import', 'export']);
    expect(zshComplete(['switchyard', ''])).toContain('monitor');
    expect(zshComplete(['switchyard', 'monitor', 'series', 'x', '--'])).toContain('--kind');
    expect(zshComplete(['switchyard', 'apiban', 'schedule', '--method', ''])).toEqual(['ipset', 'nftables']);
    expect(zshComplete(['switchyard', 'serve', '--data', ''])).toEqual(['<dirs>']);
    expect(zshComplete(['switchyard', 'parse', 'ping', ''])).toEqual(['<files>']);
  });
});
