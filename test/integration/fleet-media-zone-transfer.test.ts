import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';

// A server's media zone (the zone whose RTP servers carry its media) travels in the fleet
// exports by zone name, and an import puts it back; a name that is no media zone is refused
// naming the record and the field, and nothing of the file is kept.

const tempDir = useTempDirs();

async function fleetWithMediaZones() {
  const app = openTestHost(tempDir());
  const east = await call(app, 'fleet:create-zone', { name: 'US-East', description: '' });
  const west = await call(app, 'fleet:create-zone', { name: 'US-West', description: '' });
  await call(app, 'fleet:create-rtp', { ip: '127.0.5.21', alias: 'rtp-east-1', zoneId: east.id });
  await call(app, 'fleet:create-rtp', { ip: '127.0.5.22', alias: 'rtp-west-1', zoneId: west.id });
  const a = await call(app, 'fleet:create-server', draft(east.id, { ip: '127.0.5.11', alias: 'sw-a' }));
  const b = await call(app, 'fleet:create-server', draft(east.id, { ip: '127.0.5.12', alias: 'sw-b' }));
  await call(app, 'fleet:create-server', draft(east.id, { ip: '127.0.5.13', alias: 'sw-auto' }));
  await call(app, 'media:set-zone', { serverId: a.id, zoneId: west.id });
  await call(app, 'media:set-zone', { serverId: b.id, zoneId: east.id });
  return app;
}

/** Each server's media zone by alias and zone name (ids differ between databases). */
async function mediaByAlias(app: ReturnType<typeof openTestHost>): Promise<Record<string, string | null>> {
  const zones = await call(app, 'fleet:list-zones', {});
  const servers = await call(app, 'fleet:list-servers', {});
  const media = await call(app, 'media:zones', {});
  return Object.fromEntries(
    servers.map((s) => {
      const zoneId = media.find((m) => m.serverId === s.id)?.zoneId ?? null;
      return [s.alias, zones.find((z) => z.id === zoneId)?.name ?? null];
    }),
  );
}

describe('media zone in fleet export and import', () => {
  it('export → import keeps each server media zone, in JSON and in CSV', async () => {
    const app = await fleetWithMediaZones();
    const expected = { 'sw-a': 'US-West', 'sw-b': 'US-East', 'sw-auto': null };
    expect(await mediaByAlias(app)).toEqual(expected);
    for (const format of ['json', 'csv'] as const) {
      const { text } = await call(app, 'fleet:export', { format });
      if (format === 'json')
        expect(JSON.parse(text).servers.map((s: { mediaZone: unknown }) => s.mediaZone)).toEqual(['US-West', 'US-East', null]);
      else expect(text.split('\n')[0]).toContain('media_zone');
      const copy = openTestHost(tempDir());
      await call(copy, 'fleet:import', { format, text });
      expect(await mediaByAlias(copy)).toEqual(expected);
      copy.close();
    }
    app.close();
  });

  it('an unknown media zone is refused naming the record and field; nothing is imported', async () => {
    const app = await fleetWithMediaZones();
    const json = JSON.parse((await call(app, 'fleet:export', { format: 'json' })).text) as { servers: { mediaZone: string | null }[] };
    const server = json.servers[1];
    if (server) server.mediaZone = 'Mars';
    const copy = openTestHost(tempDir());
    const bad = await copy.dispatch('fleet:import', { format: 'json', text: JSON.stringify(json) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', row: 2, field: 'mediaZone' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^Row 2, field mediaZone: No zone is named "Mars"/);
    expect(await call(copy, 'fleet:list-servers', {})).toEqual([]);
    expect(await call(copy, 'fleet:list-zones', {})).toEqual([]);

    // In CSV the error names the line and the column; a zone without RTP servers is no media zone.
    const csv = (await call(app, 'fleet:export', { format: 'csv' })).text.replace(/,US-East\n/, ',Nowhere\n');
    const badCsv = await copy.dispatch('fleet:import', { format: 'csv', text: csv });
    expect(badCsv).toMatchObject({ ok: false, error: { row: 3, field: 'media_zone' } });
    if (!badCsv.ok) expect(badCsv.error.message).toMatch(/^Line 3, field media_zone: No zone is named "Nowhere"/);
    const noRtp = JSON.parse(JSON.stringify(json)) as { servers: { mediaZone: string | null }[]; rtpServers: unknown[] };
    noRtp.rtpServers = [];
    const first = noRtp.servers[0];
    if (first) first.mediaZone = 'US-West';
    if (noRtp.servers[1]) noRtp.servers[1].mediaZone = null;
    const empty = await copy.dispatch('fleet:import', { format: 'json', text: JSON.stringify(noRtp) });
    expect(empty).toMatchObject({ ok: false, error: { row: 1, field: 'mediaZone' } });
    if (!empty.ok) expect(empty.error.message).toContain('Zone US-West has no RTP servers');
    expect(await call(copy, 'fleet:list-servers', {})).toEqual([]);
    copy.close();
    app.close();
  });
});
