import type { Route } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { FIRST_SCREEN_ELEMENT_ID } from '../../src/contract/first-screen';
import { importServers, openSession, type Session } from './fixtures';

// The page opened from the printed URL carries its first screen's answers (src/host/web/
// first-screen.ts), so the fleet's rows are drawn before any call of the page is answered, and
// what a server's alias holds stays text. A reload has no page ticket: its page holds no data and
// the rows come from the calls, as before.

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

const SERVERS = 12;
const HOSTILE = ['eu</script><script>window.__pwned=1</script>', 'line\u2028sep\u2029par', '<!--<img src=x onerror=alert(1)>'];

async function sessionWithFleet(): Promise<Session> {
  const s = await openSession();
  sessions.push(s);
  // More servers than the shortest list the page carries packed (src/contract/packed-records.ts).
  await importServers(
    s.host,
    Array.from({ length: SERVERS }, (_, i) => ({
      ip: `127.77.0.${i + 2}`,
      alias: `${HOSTILE[i % HOSTILE.length] ?? ''} #${i}`,
      type: 'switch',
      zone: 'eu-west',
    })),
  );
  return s;
}

describe('the first screen', () => {
  test('shows the fleet’s rows before any call of the page is answered', async () => {
    const s = await sessionWithFleet();
    const { page } = s;
    // Every call waits here until the rows are on screen; the page cannot have read them from one.
    const held: Route[] = [];
    let released = false;
    await page.route('**/api/call', (route) => (released ? route.continue() : void held.push(route)));
    await page.goto(`${s.host.url}#/fleet`);
    await page.locator('.vt-row').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.vt-row').count()).toBe(SERVERS);
    // The aliases are shown as the text they are: nothing in them became markup or ran.
    const shown = (await page.locator('.vt-row').allInnerTexts()).join('\n');
    expect(shown).toContain('eu</script><script>window.__pwned=1</script>');
    expect(shown).toContain('<!--<img src=x onerror=alert(1)>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator(`#${FIRST_SCREEN_ELEMENT_ID}`).count()).toBe(0);
    expect(held.length).toBeGreaterThan(0);
    released = true;
    for (const route of held) await route.continue();
    // The console carries on live once its socket is up.
    await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
  });

  test('a reload has no data in its page and still shows the rows, from its calls', async () => {
    const s = await sessionWithFleet();
    const { page } = s;
    await s.open('#/fleet');
    await page.locator('.vt-row').first().waitFor();
    const pages: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') pages.push(response.url());
    });
    let documentText = '';
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') void response.text().then((t) => (documentText = t));
    });
    const rowsCall = page.waitForRequest((r) => r.url().endsWith('/api/call') && (r.postData() ?? '').includes('"fleet:list-rows"'));
    await page.reload();
    await rowsCall;
    await page.locator('.vt-row').first().waitFor();
    expect(await page.locator('.vt-row').count()).toBe(SERVERS);
    await expect.poll(() => documentText).toContain('id="app"');
    expect(documentText).not.toContain(FIRST_SCREEN_ELEMENT_ID);
    expect(pages.length).toBe(1);
  });
});
