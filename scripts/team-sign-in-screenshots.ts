// Screenshots of the team host's sign-in page (empty, refused, throttled) and of the console's
// signed-in account menu, in both themes at both sizes: `npx tsx scripts/team-sign-in-screenshots.ts OUTDIR`.
// A team host over TLS on loopback with the built console; Chromium pinned to its certificate's key.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureRendererBuilt, ROOT } from '../test/e2e/fixtures';
import { PASSWORD, startTeamFixture } from '../test/helpers/team-host';
import { launchChromium, SIZES, snap, themedPage } from './screenshot-kit';

const out = path.resolve(process.argv[2] ?? 'docs/screenshots');

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  ensureRendererBuilt();
  const team = await startTeamFixture({ staticDir: path.join(ROOT, 'out/renderer') });
  const spki = new X509Certificate(await readFile(path.join(team.dir, 'host.pem'))).publicKey.export({ type: 'spki', format: 'der' });
  const pin = createHash('sha256').update(spki).digest('base64');
  const browser = await launchChromium([`--ignore-certificate-errors-spki-list=${pin}`, '--host-resolver-rules=MAP noc.test 127.0.0.1']);
  const url = `https://noc.test:${team.port}/`;
  try {
    for (const [theme, size] of [
      ['dark', SIZES[0]],
      ['light', SIZES[1]],
      ['dark', SIZES[1]],
      ['light', SIZES[0]],
    ] as const) {
      const tag = `${theme}-${size.width}`;
      await themedPage(browser, size, theme, async (page) => {
        await page.goto(url);
        await snap(page, out, `team-sign-in-${tag}`);
        await page.getByLabel('Account').fill('ana');
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
        await snap(page, out, `team-sign-in-refused-${tag}`);
        for (let i = 0; i < 5; i++) {
          await page.getByLabel('Password').fill('still not it');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('alert').waitFor();
        }
        await snap(page, out, `team-sign-in-throttled-${tag}`);
        team.clock.advance(61_000);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
        await page.getByText('sbc-fra-1').first().waitFor();
        await page.getByTestId('team-account').locator('summary').click();
        await snap(page, out, `team-account-menu-${tag}`);
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await page.getByLabel('Account').waitFor();
      });
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
