import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { callHost, openSession, type Host, type Session } from './fixtures';

const open: Session[] = [];
const files: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const f of files.splice(0)) await rm(f, { force: true });
});

async function session(): Promise<Session> {
  const s = await openSession();
  open.push(s);
  return s;
}

/**
 * What must survive an export and import: everything but ids, timestamps and the live status
 * (each host probes on its own, so two hosts see their servers at different moments).
 */
async function comparable(host: Host) {
  const [servers, zones, clusters] = await Promise.all([
    callHost<Server[]>(host, 'fleet:list-servers'),
    callHost<{ id: string; name: string }[]>(host, 'fleet:list-zones'),
    callHost<{ id: string; name: string }[]>(host, 'fleet:list-clusters'),
  ]);
  const zoneName = new Map(zones.data!.map((z) => [z.id, z.name]));
  const clusterName = new Map(clusters.data!.map((c) => [c.id, c.name]));
  const aliasOf = new Map(servers.data!.map((s) => [s.id, s.alias]));
  return servers
    .data!.map(({ id: _id, createdAt: _c, updatedAt: _u, status: _status, zoneId, clusterId, config, ...rest }) => ({
      ...rest,
      zone: zoneName.get(zoneId),
      cluster: clusterId === null ? null : clusterName.get(clusterId),
      config: {
        ...config,
        capacityFailover: { ...config.capacityFailover, targetId: aliasOf.get(config.capacityFailover.targetId ?? '') ?? null },
      },
    }))
    .sort((a, b) => a.ip.localeCompare(b.ip));
}

describe('import and export', () => {
  test('a JSON export imported into a fresh data folder gives the same fleet', async () => {
    const a = await session();
    expect((await callHost(a.host, 'fleet:load-demo')).ok).toBe(true);
    await a.open('#/fleet');
    const download = a.page.waitForEvent('download');
    await a.page.getByRole('button', { name: 'Export JSON' }).click();
    const file = path.join(tmpdir(), `switchyard-export-${process.pid}-${Date.now()}.json`);
    files.push(file);
    await (await download).saveAs(file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ switchyard: 'fleet' });

    const b = await session();
    await b.open('#/fleet');
    await b.page.getByTestId('empty-fleet').waitFor();
    await b.page.getByTestId('empty-fleet').getByRole('button', { name: 'Import…' }).click();
    await b.page.getByTestId('import-file').setInputFiles(file);
    await b.page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    const countA = await a.page.getByTestId('fleet-count').textContent();
    await expect.poll(() => b.page.getByTestId('fleet-count').textContent()).toBe(countA);
    expect(await comparable(b.host)).toEqual(await comparable(a.host));
  });

  test('an import with one bad row names the row and field and imports nothing', async () => {
    const s = await session();
    await s.open('#/fleet');
    const file = path.join(tmpdir(), `switchyard-bad-${process.pid}-${Date.now()}.json`);
    files.push(file);
    const server = (ip: string, alias: string) => ({ ip, alias, type: 'switch', zone: 'EU-West' });
    await writeFile(
      file,
      JSON.stringify({
        switchyard: 'fleet',
        version: 1,
        servers: [server('127.1.0.1', 'a1'), server('127.1.0.999', 'a2'), server('127.1.0.3', 'a3')],
      }),
    );
    await s.page.getByTestId('empty-fleet').getByRole('button', { name: 'Import…' }).click();
    await s.page.getByTestId('import-file').setInputFiles(file);
    const error = s.page.getByTestId('import-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('Nothing was imported');
    expect(text).toMatch(/Row 2/);
    expect(text).toMatch(/ip/);
    expect(text).toContain('127.1.0.999');
    // One readable line per problem, words apart: the place, the field, then why.
    expect(await error.getByTestId('import-problems').locator('li').allTextContents()).toEqual([
      'Row 2, field ip: 127.1.0.999 is not an IP address (IPv4 or IPv6).',
    ]);
    expect((await callHost<Server[]>(s.host, 'fleet:list-servers')).data).toEqual([]);
    expect((await callHost<unknown[]>(s.host, 'fleet:list-zones')).data).toEqual([]);
  });
});
