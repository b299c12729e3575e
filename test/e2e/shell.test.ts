import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { callHost, makeDataDir, openSession, startHost, type Session } from './fixtures';

const sessions: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('console shell', () => {
  test('dark by default; t and the toggle switch themes, remembered across reloads; ? lists shortcuts', async () => {
    const s = await openSession();
    sessions.push(s);
    const { page } = s;
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    // The production build as a browser gets it: nothing missing (no favicon 404), compressed,
    // and ECharts left out until a chart is shown.
    const failed: string[] = [];
    const scripts = new Map<string, string | undefined>();
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      if (response.request().resourceType() === 'script') scripts.set(response.url(), response.headers()['content-encoding']);
    });
    page.on('requestfailed', (request) => failed.push(`failed ${request.url()}`));
    const startFiles: string[] = [];
    page.on('request', (request) => {
      if (['script', 'stylesheet'].includes(request.resourceType())) startFiles.push(new URL(request.url()).pathname);
    });
    await s.open('#/fleet');
    await page.locator('.vt-row').first().waitFor();
    expect(failed).toEqual([]);
    // The scripts and styles the fleet needs to show fit in one round of a browser's six
    // connections to the host (vite.shell-chunk.ts), the boot script asked for first.
    expect(startFiles.length, startFiles.join(' ')).toBeLessThanOrEqual(6);
    expect(startFiles[0]).toMatch(/\/assets\/boot-[\w-]+\.js$/);
    expect([...scripts.keys()].some((url) => url.includes('echarts'))).toBe(false);
    expect([...scripts.values()]).toContain('br');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const favicon = await page.request.get(new URL(icon ?? '/missing.svg', page.url()).href);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()['content-type']).toBe('image/svg+xml');
    expect(favicon.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    // A chart loads ECharts on demand and draws.
    const [first] = (await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? [];
    await page.goto(`${s.host.origin}/#/servers/${first?.id ?? 0}`);
    await page.getByTestId('latency-chart').locator('canvas').first().waitFor();
    expect([...scripts.keys()].some((url) => url.includes('echarts'))).toBe(true);
    expect(failed).toEqual([]);
    await s.open('#/fleet');
    const themeOf = () => page.locator('html').getAttribute('data-theme');
    expect(await themeOf()).toBe('dark');
    await page.keyboard.press('t');
    await expect.poll(themeOf).toBe('light');
    await page.reload();
    await page.getByTestId('live-indicator').waitFor();
    expect(await themeOf()).toBe('light');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(themeOf).toBe('dark');

    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'detached' });

    // Hash routes survive a reload; `g z` goes to Zones.
    await page.keyboard.press('g');
    await page.keyboard.press('z');
    await expect.poll(() => page.url()).toMatch(/#\/zones$/);
    await page.reload();
    await page.getByRole('heading', { name: 'Zones' }).waitFor();
  });

  test('a --read-only host shows the badge, offers no editing, and refuses edits', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const seed = await startHost(dataDir);
    try {
      expect((await callHost(seed, 'fleet:load-demo')).ok).toBe(true);
    } finally {
      await seed.stop();
    }
    const s = await openSession({ dataDir, readOnly: true });
    sessions.push(s);
    const { page } = s;
    await s.open('#/fleet');
    await page.getByTestId('read-only-badge').waitFor();
    const servers = (await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? [];
    await expect.poll(() => page.getByTestId('fleet-count').textContent()).toBe(`${servers.length} servers`);
    expect(await page.getByRole('link', { name: '+ Add server' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import…' }).count()).toBe(0);

    // The server page shows the settings but cannot change them.
    const first = servers[0]!;
    await page.goto(`${s.host.url}#/servers/${first.id}/config`);
    await page.locator('[id="config.webrtcTls"]').waitFor();
    expect(await page.locator('[id="config.webrtcTls"]').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);

    // And the host refuses an edit sent anyway, from the page's own origin.
    const refused = await page.evaluate(async (id) => {
      // With the page's own credential: the token it keeps in sessionStorage for this origin.
      const token = sessionStorage.getItem('switchyard.token') ?? '';
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ method: 'fleet:delete-servers', input: { ids: [id] } }),
      });
      return (await res.json()) as { ok: boolean; error?: { code: string } };
    }, first.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'read-only' } });
    expect(((await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? []).length).toBe(servers.length);
  });
});
