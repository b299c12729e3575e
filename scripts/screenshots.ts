// Screenshots of every screen, both themes, two window sizes: `npx tsx scripts/screenshots.ts OUTDIR`.
// Starts its own `switchyard serve` on a temporary data folder, so it never touches a real fleet.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { callHost, makeDataDir, startHost, type Host } from '../test/e2e/fixtures';
import { openStage, ready, SIZES, themedPage, THEMES, type Shot, type Size } from './screenshot-kit';

async function firstServerId(host: Host): Promise<string> {
  const list = await callHost<{ id: string; clusterId: string | null }[]>(host, 'fleet:list-servers');
  const clustered = list.data?.find((s) => s.clusterId !== null) ?? list.data?.[0];
  if (!clustered) throw new Error('The demo fleet has no servers.');
  return clustered.id;
}

/** A synthetic fleet of `count` servers as a Switchyard fleet JSON file, spread over zones and clusters. */
export function bigFleetJson(count: number): string {
  const zones = ['us-east', 'us-west', 'eu-west', 'eu-central', 'uk-london', 'ap-south'];
  const servers = Array.from({ length: count }, (_, i) => {
    const zone = zones[i % zones.length]!;
    return {
      // Loopback only: once monitoring runs, every server in the fleet is probed.
      ip: `127.${Math.floor(i / 250) + 100}.${i % 250}.${((i * 7) % 250) + 2}`,
      alias: `${zone}-${i % 2 ? 'sw' : 'lb'}${String(i).padStart(4, '0')}`,
      type: i % 2 ? 'switch' : 'dispatcher',
      cluster: i % 7 === 0 ? null : `${zone}-c${(i % 3) + 1}`,
      zone,
      channels: 100 * ((i % 20) + 1),
      cps: 5 * ((i % 10) + 1),
      expires: i % 11 === 0 ? new Date(Date.now() + ((i % 40) - 10) * 86_400_000).toISOString() : null,
      adminState: i % 13 === 0 ? 'stopped' : 'running',
      installRecommended: i % 17 === 0,
    };
  });
  return JSON.stringify({ switchyard: 'fleet', version: 1, servers });
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'screenshots');
  await mkdir(outDir, { recursive: true });
  const stage = await openStage();
  const { host, browser } = stage;
  const bigDir = await makeDataDir();
  const big = await startHost(bigDir);
  try {
    // The empty state first, before the demo fleet arrives.
    const shots: Shot[] = [{ name: 'empty', hash: '#/fleet' }];
    for (const size of SIZES) for (const theme of THEMES) await capture(host, shots, size, theme, outDir);

    const demo = await callHost(host, 'fleet:load-demo');
    if (!demo.ok) throw new Error(`fleet:load-demo failed: ${JSON.stringify(demo.error)}`);
    const id = await firstServerId(host);
    const all: Shot[] = [
      { name: 'fleet', hash: '#/fleet' },
      { name: 'server-summary', hash: `#/servers/${id}` },
      {
        name: 'server-config-error',
        hash: `#/servers/${id}/config`,
        prepare: async (page) => {
          const webrtc = page.locator('#config\\.webrtcTls');
          if (!(await webrtc.isChecked())) await webrtc.check();
          await page.locator('#config\\.fqdn').fill('');
          await page.locator('#config\\.ports\\.tcp').fill('5080');
          await page.getByRole('button', { name: 'Save', exact: true }).click();
          await page.locator('[data-field="config.fqdn"] .field-error').waitFor();
        },
      },
      { name: 'clusters', hash: '#/clusters' },
      { name: 'zones', hash: '#/zones' },
      { name: 'rtp', hash: '#/rtp' },
      { name: 'settings', hash: '#/settings' },
      {
        name: 'dialog-delete',
        hash: '#/fleet',
        prepare: async (page) => {
          const rows = page.locator('.vt-row');
          await rows.nth(1).click();
          await rows.nth(3).click({ modifiers: ['Shift'] });
          await page.getByTestId('delete-selected').click();
          await page.getByTestId('delete-dialog').waitFor();
        },
      },
      {
        name: 'dialog-shortcuts',
        hash: '#/fleet',
        prepare: async (page) => {
          await page.keyboard.press('?');
          await page.getByTestId('shortcuts-dialog').waitFor();
        },
      },
    ];
    for (const size of SIZES) for (const theme of THEMES) await capture(host, all, size, theme, outDir);

    const imported = await callHost(big, 'fleet:import', { format: 'json', text: bigFleetJson(1000) });
    if (!imported.ok) throw new Error(`fleet:import of 1,000 servers failed: ${JSON.stringify(imported.error)}`);
    const bigShots: Shot[] = [
      { name: 'fleet-1000', hash: '#/fleet' },
      {
        name: 'fleet-1000-scrolled',
        hash: '#/fleet',
        prepare: async (page) => {
          await page.getByTestId('fleet-table').focus();
          await page.keyboard.press('End');
          await page.keyboard.press('PageUp');
        },
      },
    ];
    for (const size of SIZES) for (const theme of THEMES) await capture(big, bigShots, size, theme, outDir);
    console.log(`Screenshots written to ${outDir}`);
  } finally {
    await stage.close();
    await big.stop();
    await rm(bigDir, { recursive: true, force: true });
  }

  /** One page for all of `shots`, each opened by its hash in turn (the console is not reloaded). */
  async function capture(h: Host, shots: Shot[], size: Size, theme: string, dir: string) {
    await themedPage(browser, size, theme, async (page) => {
      for (const shot of shots) {
        await page.goto(`${h.url}${shot.hash ?? ''}`);
        await ready(page);
        await shot.prepare?.(page);
        await page.screenshot({ path: path.join(dir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
      }
    });
  }
}

await main();
