// `fleet list` and `fleet export` read through the light reader (the store and the fleet service
// only, src/cli/fleet-reader.ts), not the whole host: what they print must be exactly what the
// host answers for the same data folder, and running them must not load the host's services.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { openHost } from '../../src/host/app';
import { BIN } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const DEMO = readFileSync(path.resolve('resources/demo-fleet.json'), 'utf8');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await main(args, io);
  return { code, out, err };
}

/** What the whole host answers (the path these commands took before the light reader). */
async function hostAnswers(dataDir: string) {
  const app = openHost({ dataDir, actions: { background: false, origin: 'cli' } });
  try {
    const data = async (method: string, input: unknown) => {
      const result = await app.dispatch(method, input);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    };
    return {
      servers: await data('fleet:list-servers', {}),
      csv: ((await data('fleet:export', { format: 'csv' })) as { text: string }).text,
      json: ((await data('fleet:export', { format: 'json' })) as { text: string }).text,
    };
  } finally {
    await app.close();
  }
}

const withoutStamp = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), exportedAt: null });

describe('fleet list/export through the light reader', () => {
  it('prints what the whole host answers for the same fleet', async () => {
    const data = tempDir();
    const seed = openHost({ dataDir: data, actions: { background: false, origin: 'cli' } });
    expect((await seed.dispatch('fleet:import', { format: 'json', text: DEMO })).ok).toBe(true);
    await seed.close();
    const host = await hostAnswers(data);
    expect((host.servers as unknown[]).length).toBe(14);

    const listed = await run(['fleet', 'list', '--json', '--data', data]);
    expect(listed).toEqual({ code: 0, out: `${JSON.stringify(host.servers, null, 2)}\n`, err: '' });
    const table = await run(['fleet', 'list', '--data', data]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^IP +ALIAS +TYPE +CHANNELS +CPS +STATUS\n/);
    expect(table.out).toMatch(/uk-lon-trial +switch +50 +5 +expired\n/);
    expect(table.out.endsWith('14 server(s)\n')).toBe(true);

    expect(await run(['fleet', 'export', '--format', 'csv', '--data', data])).toEqual({ code: 0, out: host.csv, err: '' });
    const json = await run(['fleet', 'export', '--data', data]);
    expect(json.code).toBe(0);
    // The same export apart from its own time stamp.
    expect(withoutStamp(json.out)).toEqual(withoutStamp(host.json));
  });

  it('refuses a bad --format and an unwritable --out naming them, and leaves the fleet as it was', async () => {
    const data = tempDir();
    const seed = openHost({ dataDir: data, actions: { background: false, origin: 'cli' } });
    expect((await seed.dispatch('fleet:import', { format: 'json', text: DEMO })).ok).toBe(true);
    await seed.close();
    const before = await hostAnswers(data);

    const format = await run(['fleet', 'export', '--format', 'xml', '--data', data]);
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/--format must be json or csv, not "xml"/);
    const out = await run(['fleet', 'export', '--out', path.join(data, 'no-such-folder', 'fleet.json'), '--data', data]);
    expect(out.code).toBe(1);
    expect(out.err).toMatch(/no-such-folder/);
    expect((await hostAnswers(data)).servers).toEqual(before.servers);
  });

  it('lists an empty fleet in a new data folder, and never loads the host or its services', () => {
    const data = tempDir();
    // The sources through tsx, so the loaded files keep their names (the bundle's chunks are hashed).
    const result = spawnSync(
      process.execPath,
      ['--import', 'data:text/javascript,' + encodeURIComponent(LOAD_LOGGER), BIN, 'fleet', 'list', '--json', '--data', data],
      {
        env: { ...process.env, SWITCHYARD_CLI: 'source' },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    const loaded = result.stderr.split('\n').filter((line) => line.startsWith('LOADED '));
    expect(loaded.some((line) => line.includes('/src/cli/fleet-reader.ts'))).toBe(true);
    for (const heavy of ['/src/host/app.ts', '/src/host/web/', 'acme-client', 'nodemailer', '/ws/', 'ssh2']) {
      expect(loaded.filter((line) => line.includes(heavy))).toEqual([]);
    }
  });
});

/** Registers a module hook that writes every file URL node loads to stderr. */
const LOAD_LOGGER = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('LOADED ' + url + '\\\\n'); return next(url, context); }"
));
`;
