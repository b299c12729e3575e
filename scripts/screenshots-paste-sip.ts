// Screenshots of a pasted SIP message kept in the history: read, saved, and opened again from the
// history, dark (1600×900) and light (1280×720): `npx tsx scripts/screenshots-paste-sip.ts OUTDIR`.
// Its own `switchyard serve` on a temporary data folder; nothing leaves loopback.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DARK_LARGE_LIGHT_SMALL, openStage, snap, themedPage } from './screenshot-kit';

const out = path.resolve(process.argv[2] ?? 'screenshots/paste-sip');
// Compact header forms and a body, as copied out of a TCP trace.
const SIP =
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nv: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nt: Bob <sip:bob@biloxi.example.com>\r\nf: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\ni: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 INVITE\r\nm: <sip:alice@pc33.atlanta.example.com;transport=tcp>\r\nc: application/sdp\r\nl: 5\r\n\r\nv=0\r\n';

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const stage = await openStage();
  const { host, browser } = stage;
  try {
    for (const [theme, size] of DARK_LARGE_LIGHT_SMALL) {
      await themedPage(browser, size, theme, async (page) => {
        await page.goto(`${host.url}#/tools`);
        await page.getByTestId('mode-paste').click();
        const tag = `${theme}-${size.width}`;
        // Pasted as from the clipboard, so the message keeps its CRLF line ends.
        await page.locator('#paste-text').fill(SIP.replace(/\r\n/g, '\n'));
        await page.locator('#paste-text').evaluate((box, raw) => {
          const data = new DataTransfer();
          data.setData('text/plain', raw);
          box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
        }, SIP);
        await page.locator('[data-testid="paste-kind"][data-kind="sip"]').waitFor();
        await page.getByTestId('save-pasted').click();
        const entry = page.locator('[data-testid="tool-history"] li', { hasText: 'SIP message' }).first();
        await entry.waitFor();
        await snap(page, out, `paste-sip-saved-${tag}`);
        await entry.locator('button.open').click();
        await page.getByTestId('run-panel').locator('[data-testid="sip-inspector"]').waitFor();
        await snap(page, out, `paste-sip-opened-${tag}`);
      });
    }
  } finally {
    await stage.close();
  }
}

await main();
