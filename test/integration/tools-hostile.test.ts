import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toolCommand } from '../../src/cli/tools-commands';
import { DomainError } from '../../src/domain/errors';
import { SHELL_METACHARACTERS } from '../../src/domain/tools';
import { createLocalRunner, runMtr, runPing, type SpawnTool, type ToolRunner } from '../../src/services/tools';

// Every way a target could smuggle something into a process: options, shell syntax, line
// breaks, oversize. None may reach a spawn (local) or a runner (the SSH runner is one too).
const HOSTILE = [
  ';rm -rf /',
  '$(reboot)',
  '`id`',
  '127.0.0.1; id',
  '127.0.0.1 && id',
  '127.0.0.1|nc -l 4444',
  'a>b',
  'a<b',
  '-f',
  '--flood',
  '-c 100000',
  '-i0',
  ' 127.0.0.1',
  '127.0.0.1 ',
  '127.0.0.1\nid',
  '127.0.0.1\r\nid',
  'host\u0000',
  'host\u001b[2J',
  "'quoted'",
  '"quoted"',
  'a\\b',
  'host#comment',
  '~root',
  '*',
  '?',
  '!!',
  '{a,b}',
  '[::1]',
  '%00',
  'x'.repeat(254),
  `${'a'.repeat(63)}.`.repeat(5),
  '',
  ' ',
  '\t',
  '999.999.999.999',
  'fe80::1%eth0',
  'ex ample.com',
];

function spies(): { spawn: SpawnTool; runner: ToolRunner; calls: string[][] } {
  const calls: string[][] = [];
  const spawn: SpawnTool = (command, args) => {
    calls.push([command, ...args]);
    throw new Error('a hostile target reached spawn');
  };
  const runner: ToolRunner = {
    run: async (argv) => {
      calls.push([...argv]);
      return { code: 0, stderr: '' };
    },
  };
  return { spawn, runner, calls };
}

const silentIo = () => {
  const err: string[] = [];
  return { io: { out: () => undefined, err: (t: string) => void err.push(t) }, err };
};

describe('hostile targets never reach a process', () => {
  it.each(HOSTILE)('refuses %j before any spawn, local or through a runner', async (target) => {
    const { spawn, runner, calls } = spies();
    const local = createLocalRunner({ spawnTool: spawn });
    for (const r of [local, runner]) {
      await expect(runPing({ target, runner: r })).rejects.toBeInstanceOf(DomainError);
      await expect(runMtr({ target, runner: r })).rejects.toBeInstanceOf(DomainError);
      await expect(runMtr({ target, runner: r, mode: 'json' })).rejects.toThrow(/target/i);
    }
    expect(calls).toEqual([]);
  });

  it('refuses any generated string holding a metacharacter or starting with "-", with no spawn', async () => {
    const { spawn, calls } = spies();
    const runner = createLocalRunner({ spawnTool: spawn });
    const meta = fc.constantFrom(...SHELL_METACHARACTERS.split(''), '\n', '\r', ' ', '\t', '\u0000');
    const hostile = fc.oneof(
      fc.tuple(fc.string(), meta, fc.string()).map(([a, m, b]) => `${a}${m}${b}`),
      fc.string().map((s) => `-${s}`),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (target) => {
        await expect(runPing({ target, runner })).rejects.toBeInstanceOf(DomainError);
      }),
      { numRuns: 500 },
    );
    expect(calls).toEqual([]);
  });

  it('refuses out-of-range parameters before any spawn', async () => {
    const { spawn, calls } = spies();
    const runner = createLocalRunner({ spawnTool: spawn });
    await expect(runPing({ target: '127.0.0.1', params: { count: 0 }, runner })).rejects.toThrow(/count/);
    await expect(runPing({ target: '127.0.0.1', params: { intervalS: 0.01 }, runner })).rejects.toThrow(/intervalS/);
    await expect(runMtr({ target: '127.0.0.1', params: { maxHops: 500 }, runner })).rejects.toThrow(/maxHops/);
    expect(calls).toEqual([]);
  });

  it('the CLI exits 2 with the reason and starts nothing', async () => {
    const { runner, calls } = spies();
    for (const target of [';rm -rf /', '-f', '127.0.0.1\nid', '$(id)']) {
      for (const tool of ['ping', 'mtr'] as const) {
        const { io, err } = silentIo();
        // `--` is how a target starting with "-" gets past option parsing at all.
        expect(await toolCommand(tool, ['--', target], io, { runner })).toBe(2);
        expect(err.join('')).toContain(JSON.stringify(target));
      }
    }
    const { io } = silentIo();
    // Without `--`, "-f" is an unknown option: a usage error, which main() answers with exit 2.
    await expect(toolCommand('ping', ['-f'], io, { runner })).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect(await toolCommand('ping', ['127.0.0.1', '--count', '5000'], io, { runner })).toBe(2);
    expect(await toolCommand('ping', ['127.0.0.1', '--interval', '0'], io, { runner })).toBe(2);
    expect(calls).toEqual([]);
  });
});
