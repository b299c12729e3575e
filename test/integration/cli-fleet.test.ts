import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const DEMO = path.resolve('resources/demo-fleet.json');

describe('switchyard fleet (CLI)', () => {
  it('imports the demo fleet, lists it as JSON, and exports CSV that imports into a fresh folder unchanged', async () => {
    const data = tempDir();
    const imported = await runCli(['fleet', 'import', DEMO, '--data', data]);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toMatch(/Imported 14 server\(s\), 4 RTP server\(s\)/);

    const listed = await runCli(['fleet', 'list', '--json', '--data', data]);
    expect(listed.code).toBe(0);
    const servers = JSON.parse(listed.stdout) as Server[];
    expect(servers.map((s) => s.alias)).toContain('us-east-lb1');
    expect(servers.find((s) => s.alias === 'uk-lon-trial')?.status).toBe('expired');

    const csvFile = path.join(tempDir(), 'fleet.csv');
    expect((await runCli(['fleet', 'export', '--format', 'csv', '--out', csvFile, '--data', data])).code).toBe(0);
    const copy = tempDir();
    expect((await runCli(['fleet', 'import', csvFile, '--data', copy])).code).toBe(0);
    const again = await runCli(['fleet', 'export', '--format', 'csv', '--data', copy]);
    expect(again.stdout).toBe(readFileSync(csvFile, 'utf8'));
  });

  it('exits 2 naming the row and field for a bad CSV row, and imports nothing', async () => {
    const data = tempDir();
    const file = path.join(tempDir(), 'bad.csv');
    writeFileSync(file, 'kind,ip,alias,type,zone,udp_port\nserver,127.0.0.5,ok,switch,EU,5060\nserver,127.0.0.6,bad,switch,EU,70000\n');
    const result = await runCli(['fleet', 'import', file, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Line 3.*udp_port/);
    expect(result.stderr).toMatch(/row 3, field udp_port/);
    const listed = await runCli(['fleet', 'list', '--json', '--data', data]);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('prints one line per problem of a refused record, words apart, and imports nothing', async () => {
    const data = tempDir();
    const file = path.join(tempDir(), 'bad.json');
    const server = (ip: string, alias: string) => ({ ip, alias, type: 'switch', zone: 'EU' });
    writeFileSync(file, JSON.stringify({ switchyard: 'fleet', version: 1, servers: [server('999.1.1.1', 'a1')] }));
    const result = await runCli(['fleet', 'import', file, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toContain('switchyard: Row 1, field ip: 999.1.1.1 is not an IP address (IPv4 or IPv6).');
    expect(result.stderr).toMatch(/^Nothing was imported\./m);
    const listed = await runCli(['fleet', 'list', '--json', '--data', data]);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('exits 2 on usage errors and unknown formats, 1 on a database from a newer build', async () => {
    const data = tempDir();
    expect((await runCli(['fleet', 'export', '--format', 'xml', '--data', data])).code).toBe(2);
    expect((await runCli(['fleet', 'import', 'fleet.txt', '--data', data])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
    const missing = await runCli(['fleet', 'import', path.join(data, 'missing.json'), '--data', data]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);

    expect((await runCli(['fleet', 'list', '--data', data])).code).toBe(0);
    const db = new Database(path.join(data, 'switchyard.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    db.close();
    const newer = await runCli(['fleet', 'list', '--data', data]);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(/newer Switchyard/);
  });
});
