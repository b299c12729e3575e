// Screenshots of the team host's sign-in page (empty, refused, throttled) and of the console's
// signed-in account menu, in both themes at both sizes: `npx tsx scripts/team-sign-in-screenshots.ts OUTDIR`.
// A team host over TLS on loopback with the built console; Chromium pinned to its certificate's key.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureRendererBuilt, ROOT } from '../test/e2e/fixtures';
import { PASSWORD, startTeamFixture } from '../test/helpers/team-host';

const out = path.resolve(process.argv[2] ?? 'docs/screenshots');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  process.stdout.write(`${name}.png\n`);
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  ensureRendererBuilt();
  const team = await startTeamFixture({ staticDir: path.join(ROOT, 'out/renderer') });
  const spki = new X509Certificate(await readFile(path.join(team.dir, 'host.pem'))).publicKey.export({ type: 'spki', format: 'der' });
  const pin = createHash('sha256').update(spki).digest('base64');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${pin}`, '--host-resolver-rules=MAP noc.test 127.0.0.1'],
  });
  const url = `https://noc.test:${team.port}/`;
  try {
    for (const [theme, size] of [
      ['dark', { width: 1600, height: 900 }],
      ['light', { width: 1280, height: 720 }],
      ['dark', { width: 1280, height: 720 }],
      ['light', { width: 1600, height: 900 }],
    ] as const) {
      const tag = `${theme}-${size.width}`;
      const context = await browser.newContext({ viewport: size });
      await context.addInitScript((t) => localStorage.setItem('switchyard.theme', t), theme);
      const page = await context.newPage();
      await page.goto(url);
      await shot(page, `team-sign-in-${tag}`);
      await page.getByLabel('Account').fill('ana');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await shot(page, `team-sign-in-refused-${tag}`);
      for (let i = 0; i < 5; i++) {
        await page.getByLabel('Password').fill('still not it');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
      }
      await shot(page, `team-sign-in-throttled-${tag}`);
      team.clock.advance(61_000);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
      await page.getByText('sbc-fra-1').first().waitFor();
      await page.getByTestId('team-account').locator('summary').click();
      await shot(page, `team-account-menu-${tag}`);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByLabel('Account').waitFor();
      await context.close();
      team.clock.advance(61_000);
    }
  } finally {
    await browser.close();
    await team.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
