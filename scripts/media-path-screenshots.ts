// Screenshots of media server selection: `npx tsx scripts/media-path-screenshots.ts OUTDIR`.
// Runs as root (it starts an sshd). The demo fleet's RTP servers (127.0.40.1, 127.0.41.1,
// 127.0.42.1) and us-east-sw1 (127.0.10.11) are one real sshd on loopback; rtp-us-east-2
// (127.0.40.2) has none, so its failure shows. A real measurement is shot first (loopback: every
// zone level), then a stored one with WAN-sized figures written into the database, to see the
// ranking, the advisor finding and Server Config as a real fleet would show them.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server, Zone } from '../src/contract/fleet';
import type { MediaMeasurement } from '../src/contract/media-methods';
import { rankMediaZones, type RtpProbe } from '../src/domain/media/ranking';
import { openStore } from '../src/services/store/store';
import { callHost } from '../test/e2e/fixtures';
import { fixture, hostPublicKey, startSshd, TEST_USER } from '../test/helpers/sshd';
import { openStage, ready, SIZES, THEMES } from './screenshot-kit';

const LISTEN = ['127.0.40.1', '127.0.41.1', '127.0.42.1', '127.0.10.11'];

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
  await mkdir(outDir, { recursive: true });
  const sshd = await startSshd({ addresses: LISTEN, hostKeys: ['ed25519'] });
  const { keyType, key } = hostPublicKey('ed25519');
  const stage = await openStage({
    prepare: (dataDir) =>
      writeFile(path.join(dataDir, 'known_hosts'), LISTEN.map((a) => `[${a}]:${sshd.port} ${keyType} ${key}\n`).join(''), { mode: 0o600 }),
  });
  const { host, browser, dataDir } = stage;
  try {
    await callHost(host, 'fleet:load-demo');
    const servers = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
    const zones = (await callHost<Zone[]>(host, 'fleet:list-zones')).data ?? [];
    const sw1 = servers.find((s) => s.alias === 'us-east-sw1');
    if (!sw1) throw new Error('the demo fleet has no us-east-sw1');
    const { id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _d, ...draft } = sw1;
    await callHost(host, 'fleet:update-server', {
      id,
      draft: {
        ...draft,
        ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
      },
    });
    await callHost(host, 'media:set-ssh', {
      port: sshd.port,
      user: TEST_USER,
      auth: 'key',
      keyPath: fixture('user_ed25519'),
      jumpHost: null,
    });

    // One page throughout: the printed URL is opened once, then the console is driven by its hash.
    const context = await browser.newContext({ viewport: SIZES[0] });
    await context.addInitScript(`if (!localStorage.getItem('switchyard.theme')) localStorage.setItem('switchyard.theme', 'dark')`);
    const page = await context.newPage();
    let tag = '';
    const shot = (name: string) => page.screenshot({ path: path.join(outDir, `${name}-${tag}.png`) });
    const go = async (hash: string) => {
      await page.evaluate((h) => void (location.hash = h), hash);
      await ready(page);
    };
    const each = async (fn: () => Promise<void>) => {
      for (const theme of THEMES) {
        await page.evaluate((t) => localStorage.setItem('switchyard.theme', t), theme);
        await page.reload();
        await ready(page);
        for (const size of SIZES) {
          await page.setViewportSize(size);
          tag = `${size.width}x${size.height}-${theme}`;
          await fn();
        }
      }
    };
    await page.goto(`${host.url}#/media`);
    await ready(page);
    tag = '1600x900-dark';
    await shot('media-path-empty');
    await page.getByLabel('Customer address').fill('127.0.0.5');
    await page.getByLabel('For server').selectOption(sw1.id);
    await page.getByRole('button', { name: 'Measure media zones' }).click();
    await page.getByTestId('media-ranking').waitFor({ timeout: 60_000 });
    await shot('media-path-loopback');

    // WAN-sized figures, as a fleet spread over continents would measure them.
    const wan: Record<string, [number, number]> = { 'US-East': [182, 2.1], 'EU-West': [131, 84], 'UK-London': [88, 79] };
    const probes: RtpProbe[] = [];
    const rtp = (await callHost<{ id: string; ip: string; alias: string; zoneId: string }[]>(host, 'fleet:list-rtp')).data ?? [];
    for (const r of rtp) {
      const zone = zones.find((z) => z.id === r.zoneId)?.name ?? '';
      const [c, k] = wan[zone] ?? [0, 0];
      const down = r.alias === 'rtp-us-east-2';
      const fail = (to: string) => ({
        rttMs: null,
        lossPct: null,
        error: `RTP server ${r.alias} (${r.ip}) could not measure ${to}: connect ECONNREFUSED ${r.ip}:22`,
      });
      probes.push({
        rtpId: r.id,
        alias: r.alias,
        ip: r.ip,
        zoneId: r.zoneId,
        customer: down ? fail('the customer 203.0.113.5') : { rttMs: c, lossPct: 0, error: null },
        carrier: down ? fail(`the carrier ${sw1.ip}`) : { rttMs: k, lossPct: zone === 'EU-West' ? 4 : 0, error: null },
      });
    }
    const ranking = rankMediaZones(probes, zones, 168);
    const measured: MediaMeasurement = {
      id: 'wan-example',
      measuredAt: Date.now(),
      customer: '203.0.113.5',
      carrier: sw1.ip,
      serverId: sw1.id,
      serverLabel: `${sw1.alias} (${sw1.ip})`,
      direct: { rttMs: 168, lossPct: 0, note: `Measured from ${sw1.alias} (${sw1.ip}) to the customer.` },
      zones: ranking.zones,
      probes,
      verdict: ranking.verdict,
      rule: (await import('../src/domain/media/ranking')).MEDIA_RULE,
      errors: probes.flatMap((p) => [p.customer.error, p.carrier.error]).filter((e): e is string => e !== null),
      durationMs: 1400,
    };
    const store = openStore({ file: path.join(dataDir, 'switchyard.db') });
    store.media.save(measured);
    store.close();
    await callHost(host, 'media:set-zone', { serverId: sw1.id, zoneId: zones.find((z) => z.name === 'EU-West')?.id ?? null });

    await each(async () => {
      await go('#/media');
      await page.getByTestId('media-ranking').waitFor();
      await shot('media-path-wan');
      await go(`#/servers/${sw1.id}/config`);
      await page.locator('[data-field="config.mediaZone"]').scrollIntoViewIfNeeded();
      await shot('media-zone-config');
      await go('#/advisor');
      await page.locator('[data-rule="media-zone-detour"]').scrollIntoViewIfNeeded();
      await shot('media-zone-advisor');
    });
    await context.close();
  } finally {
    await stage.close();
    await sshd.stop();
  }
}

await main();
