// Screenshots of forms and dialogs refusing input: `npx tsx scripts/form-errors-screenshots.ts
// [OUTDIR]` (default docs/screenshots). Serves four servers, then shoots at 1600×900 in both
// themes: the Add server form with two refused fields (Summary, and Config with the UDP port), the
// Deploy wizard stopped at step 2, and the Actions menu marking Install Server, Power Cycle and OS
// Cycle as unable to run, with the links to their settings.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const THEMES = ['dark', 'light'] as const;

async function refusedServerForm(page: Page): Promise<void> {
  await page.locator('[id="ip"]').fill('127.0.0.70');
  await page.locator('[id="alias"]').fill('edge-new');
  await page.locator('[id="channels"]').fill('-5');
  await page.getByRole('link', { name: 'Config' }).click();
  await page.locator('[id="config.ports.udp"]').fill('70000');
  await page.getByRole('button', { name: 'Create server' }).click();
  await page.locator('[data-field="channels"] .field-error').waitFor();
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs/screenshots'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  let host: Host | null = null;
  const browser = await launchBrowser();
  try {
    host = await startHost(dataDir);
    const h = host;
    const zone = await ok<{ id: string }>(h, 'fleet:create-zone', { name: 'Loopback', description: '' });
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const s = await ok<{ id: string }>(h, 'fleet:create-server', {
        ...defaultServerDraft(zone.id),
        ip: `127.0.0.${60 + i}`,
        alias: `edge-sw${i}`,
      });
      ids.push(s.id);
    }
    const shots: { name: string; hash: string; prepare(page: Page): Promise<void> }[] = [
      { name: 'form-errors-summary', hash: '#/servers/new', prepare: refusedServerForm },
      {
        name: 'form-errors-config',
        hash: '#/servers/new',
        prepare: async (page) => {
          await refusedServerForm(page);
          await page.locator('[data-field-link="config.ports.udp"]').click();
          await page.locator('[data-field="config.ports.udp"] .field-error').waitFor();
        },
      },
      {
        name: 'deploy-wizard-blocked',
        hash: '#/fleet',
        prepare: async (page) => {
          await page.getByTestId('deploy-server').click();
          await page.getByTestId('deploy-wizard').getByRole('button', { name: 'Next' }).click();
          await page.getByTestId('deploy-next').click();
          await page.locator('[data-field="deploy-ip"] .field-error').waitFor();
        },
      },
      {
        name: 'deploy-wizard-short',
        hash: '#/fleet',
        prepare: async (page) => {
          await page.getByTestId('deploy-server').click();
          await page.getByTestId('deploy-wizard').getByRole('button', { name: 'Next' }).click();
          await page.locator('#deploy-ip').fill('127.0.0.79');
          await page.locator('#deploy-alias').fill('edge-sw5');
          await page.getByTestId('deploy-next').click();
          await page.getByTestId('deploy-blocked').getByText('Short by').waitFor();
        },
      },
      {
        name: 'actions-menu-marked',
        hash: `#/servers/${ids[0] ?? ''}`,
        prepare: async (page) => {
          await page.getByTestId('actions-menu').click();
          await page.locator('[data-testid="actions-menu-list"][data-state="checked"]').waitFor();
        },
      },
    ];
    for (const theme of THEMES) {
      for (const shot of shots) {
        const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
        await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
        const page = await context.newPage();
        try {
          await page.goto(`${h.url}${shot.hash}`);
          await ready(page);
          await shot.prepare(page);
          await page.screenshot({ path: path.join(outDir, `${shot.name}-${theme}.png`) });
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    await host?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
