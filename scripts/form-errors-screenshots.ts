// Screenshots of forms and dialogs refusing input: `npx tsx scripts/form-errors-screenshots.ts
// [OUTDIR]` (default docs/screenshots). Serves four servers, then shoots at 1600×900 in both
// themes: the Add server form with two refused fields (Summary, and Config with the UDP port), the
// Deploy wizard stopped at step 2, and the Actions menu marking Install Server, Power Cycle and OS
// Cycle as unable to run, with the links to their settings.
import type { Page } from 'playwright-core';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { ok, openStage, outputDir, shootAll, SIZES, type Shot } from './screenshot-kit';

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
  const outDir = await outputDir('docs/screenshots');
  const stage = await openStage();
  const { host: h, browser } = stage;
  try {
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
    const shots: Shot[] = [
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
    await shootAll(browser, h.url, outDir, shots, { sizes: SIZES.slice(0, 1), file: (name, _size, theme) => `${name}-${theme}` });
  } finally {
    await stage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
