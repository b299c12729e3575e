// `switchyard snapshot save|info|diff` as a user runs them: exit codes and the diff JSON.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { runCli, type CliResult } from '../helpers/cli';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

const fleetJson = (channels: number, extra: object[] = []) =>
  JSON.stringify({
    switchyard: 'fleet',
    version: 1,
    zones: [{ name: 'EU', description: '' }],
    clusters: [],
    servers: [
      { ip: '127.0.10.11', alias: 'sw1', type: 'switch', zone: 'EU', channels, config: { ports: { udp: 5060, tcp: 5061, tls: 5061 } } },
      ...extra,
    ],
    rtpServers: [],
  });

/**
 * The CLI's own entry, in process, with its output captured: the same code as the binary minus
 * the seconds each process start costs. The real binary is spawned where the exit code and
 * stdout of a process are the point (the diff JSON, a refused file).
 */
async function cli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Set-up in process: each CLI start costs seconds, so only the commands under test are spawned. */
async function importFleet(dataDir: string, text: string): Promise<void> {
  const app = openTestHost(dataDir);
  try {
    await call(app, 'fleet:import', { format: 'json', text });
  } finally {
    await app.close();
  }
}

describe('switchyard snapshot', () => {
  it('saves, describes and compares snapshots; diff --json names each changed server by IP', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    await importFleet(data, fleetJson(500));
    const a = path.join(dir, 'a.snapshot');
    const saved = await cli(['snapshot', 'save', a, '--data', data, '--note', 'before resize']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/1 server\(s\)/);

    const info = await cli(['snapshot', 'info', a, '--json']);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ file: 'a.snapshot', note: 'before resize', counts: { servers: 1, zones: 1 } });
    // Who saved it: the OS user running the command, as the console records it.
    expect(JSON.parse(info.stdout)).toMatchObject({ savedBy: os.userInfo().username });
    expect((await cli(['snapshot', 'info', a])).stdout).toMatch(new RegExp(`^By: +${os.userInfo().username}$`, 'm'));

    // Change the live fleet: one server resized, one added.
    const data2 = path.join(dir, 'data2');
    await importFleet(data2, fleetJson(800, [{ ip: '127.0.10.12', alias: 'sw2', type: 'switch', zone: 'EU' }]));
    const b = path.join(dir, 'b.snapshot');
    expect((await cli(['snapshot', 'save', b, '--data', data2])).code).toBe(0);

    const diff = await runCli(['snapshot', 'diff', a, b, '--json']);
    expect(diff.code, diff.stderr).toBe(0);
    const parsed = JSON.parse(diff.stdout) as {
      servers: { added: { ip: string }[]; removed: unknown[]; changed: { ip: string; fields: unknown[] }[] };
    };
    expect(parsed.servers.added.map((s) => s.ip)).toEqual(['127.0.10.12']);
    expect(parsed.servers.removed).toEqual([]);
    expect(parsed.servers.changed).toEqual([{ ip: '127.0.10.11', label: 'sw1', fields: [{ field: 'channels', old: 500, new: 800 }] }]);

    const live = await cli(['snapshot', 'diff', a, '--live', '--data', data2]);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/~ 127\.0\.10\.11 sw1\n\s+channels: 500 → 800/);
  });

  it('exits 2 with a clear message for a file that is not a snapshot', async () => {
    const dir = tempDir();
    const junk = path.join(dir, 'junk.snapshot');
    writeFileSync(junk, 'hello, not a database');
    const runs = [
      ['snapshot', 'info', junk],
      ['snapshot', 'diff', junk, junk],
      ['serve', '--snapshot', junk, '--data', dir],
    ];
    for (const [i, args] of runs.entries()) {
      const result = i === 0 ? await runCli(args) : await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/junk\.snapshot is not a Switchyard snapshot: it is not a SQLite database/);
    }
  });

  it('exits 2 for missing arguments and refuses to overwrite a snapshot', async () => {
    const dir = tempDir();
    expect((await cli(['snapshot', 'diff', 'x'])).code).toBe(2);
    const file = path.join(dir, 's.snapshot');
    expect((await cli(['snapshot', 'save', file, '--data', dir])).code).toBe(0);
    const again = await cli(['snapshot', 'save', file, '--data', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
});
