// Screenshots of certificates on servers: `npx tsx scripts/certificates-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/certificates). Starts the certificate lab (a real sshd and a real
// Kamailio with TLS, see test/helpers/cert-lab.ts) and its own `switchyard serve`, assigns test1.com
// and test2.com (installed and checked for real) and an expired certificate for old.test3.com (so a
// finding shows), then shoots the server's Certificates tab, with the tls.cfg written opened, and
// the Certificates page at 1600×900 and 1280×720 in both themes.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ServerDeploy } from '../src/contract/cert-deploy-methods';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { startCertLab } from '../test/helpers/cert-lab';
import { launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;

async function settled(host: Host, serverId: string): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    const status = await ok<ServerDeploy>(host, 'certs:deploy-status', { serverId });
    if (!status.running && status.install?.state !== 'running' && status.checks.length > 0) return;
    if (Date.now() > end) throw new Error('the install did not end');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/certificates'));
  await mkdir(outDir, { recursive: true });
  const lab = await startCertLab();
  const dataDir = await makeDataDir();
  lab.prepare(dataDir);
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
  try {
    const zone = await ok<{ id: string }>(host, 'fleet:create-zone', { name: 'US-East', description: '' });
    const server = await ok<{ id: string }>(host, 'fleet:create-server', lab.serverInput(zone.id, defaultServerDraft(zone.id) as never));
    const ids: string[] = [];
    for (const leaf of [lab.leaves.test1, lab.leaves.test2, lab.leaves.expired])
      ids.push((await ok<{ id: string }>(host, 'certs:import', { pem: leaf.certPem, keyPem: leaf.keyPem })).id);
    await ok(host, 'certs:assign', {
      serverId: server.id,
      certificateId: ids[0],
      type: 'server',
      domains: ['test1.com', 'sip.test1.com'],
      install: false,
    });
    await ok(host, 'certs:assign', {
      serverId: server.id,
      certificateId: ids[2],
      type: 'server',
      domains: ['old.test3.com'],
      install: false,
    });
    await ok(host, 'certs:assign', { serverId: server.id, certificateId: ids[1], type: 'server', domains: ['test2.com'] });
    await settled(host, server.id);
    await ok(host, 'acme:save-settings', {
      directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      email: 'noc@example.net',
    });

    const shots: { name: string; hash: string; prepare?: (page: Page) => Promise<void> }[] = [
      {
        name: 'cert-check',
        hash: `#/servers/${server.id}/certificates`,
        prepare: async (page) => void (await page.locator('[data-testid="cert-checks"] tr[data-domain="test2.com"]').waitFor()),
      },
      {
        name: 'cert-tls-cfg',
        hash: `#/servers/${server.id}/certificates`,
        prepare: async (page) => {
          await page.getByRole('button', { name: 'Show the tls.cfg written' }).click();
          await page.locator('[data-testid="cert-tls-cfg"]').scrollIntoViewIfNeeded();
        },
      },
      {
        name: 'certs-page',
        hash: '#/certificates',
        prepare: async (page) => void (await page.locator('[data-testid="certs-served"] tr[data-server="lab-sbc1"]').waitFor()),
      },
      {
        name: 'certs-page-acme',
        hash: '#/certificates',
        prepare: async (page) => {
          await page.locator('[data-testid="acme"]').scrollIntoViewIfNeeded();
          await page.locator('[data-testid="acme-directory"]').waitFor();
        },
      },
    ];
    for (const size of SIZES) {
      for (const theme of THEMES) {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport: size });
          await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
          const page = await context.newPage();
          try {
            await page.goto(`${host.url}${shot.hash}`);
            await ready(page);
            await shot.prepare?.(page);
            await page.mouse.move(size.width - 2, size.height - 2);
            await page.waitForTimeout(300);
            await page.screenshot({ path: path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
          } finally {
            await context.close();
          }
        }
      }
    }
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    await copyFile(path.join(outDir, 'cert-check-1600x900-dark.png'), path.join(docs, 'certificates-served-dark.png'));
    await copyFile(path.join(outDir, 'certs-page-1600x900-light.png'), path.join(docs, 'certificates-page-light.png'));
  } finally {
    await browser.close();
    await host.stop();
    await lab.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
