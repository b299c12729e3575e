import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { startUacClient, startUpstreamRegistrar, type KamailioProcess, type UacClient } from '../helpers/kamailio-uac';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

// Server Config's UAC Auth upstreams in Chromium: the table editor (a bad registrar refused beside
// its cell, nothing saved), then Install Server pushes the list over the real test sshd into a real
// Kamailio (uac module) registering to a second real Kamailio on loopback; "Read state now" shows
// one registered and the one with a wrong password not registered, with the reason. With
// SWITCHYARD_SHOTS=DIR set, the section is saved there in dark and light.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
let sshd: Sshd;
let upstream: KamailioProcess;
let kam: UacClient;
let dataDir: string;
let s: Session;

async function shot(name: string, section = true): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  if (!section) {
    await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    return;
  }
  await s.page.getByTestId('uac-upstreams').screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await s.page.screenshot({ path: path.join(SHOTS, `${name}-page.png`) });
}

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  upstream = await startUpstreamRegistrar({ '4420001': 'carrier-pass', '4420002': 'right-pass' });
  kam = await startUacClient(sshd.workDir);
  dataDir = await makeDataDir();
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(dataDir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  const book = defaultRecipeBook();
  if (!book.uac) throw new Error('the shipped book lost its uac entry');
  book.uac.defaults = { ...book.uac.defaults, dir: kam.dbDir, ctl: `tcp:127.0.0.1:${kam.ctlPort}` };
  writeFileSync(path.join(dataDir, 'recipes.json'), JSON.stringify(book));
  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
}, 60_000);

afterAll(async () => {
  await s?.close();
  await rm(dataDir, { recursive: true, force: true });
  await kam?.stop();
  await upstream?.stop();
  await sshd?.stop();
});

describe('UAC Auth upstreams', () => {
  test('edit the table, push with Install, and read which upstream is registered and why the other is not', async () => {
    const zone = (await ok<{ id: string }>('fleet:create-zone', { name: 'EU', description: '' })).id;
    const base = defaultServerDraft(zone);
    const server = await ok<{ id: string }>('fleet:create-server', {
      ...base,
      ip: '127.0.0.1',
      alias: 'eu-sw1',
      config: { ...base.config, uacAuth: true },
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    });
    await ok('actions:set-install-command', { serverId: server.id, command: '/bin/true' });
    const { page } = s;
    await s.open(`#/servers/${server.id}/config`);
    const section = page.getByTestId('uac-upstreams');
    await expect.poll(() => section.textContent()).toContain('No upstream yet.');
    await shot('uac-empty-dark');

    await section.getByTestId('uac-add').click();
    await section.getByTestId('uac-add').click();
    const rows = section.getByTestId('uac-row');
    const registrar = `sip:127.0.0.1:${upstream.sipPort}`;
    await rows.nth(0).getByTestId('uac-registrar').fill(registrar);
    await rows.nth(0).getByTestId('uac-username').fill('4420001');
    await rows.nth(0).getByTestId('uac-password').fill('carrier-pass');
    await rows.nth(1).getByTestId('uac-registrar').fill('provider.example:99999');
    await rows.nth(1).getByTestId('uac-username').fill('4420002');
    await rows.nth(1).getByTestId('uac-password').fill('wrong-pass');
    await section.getByTestId('uac-save').click();
    // Refused beside the cell, in words naming the server and the row; nothing saved.
    await expect
      .poll(() => rows.nth(1).locator('.field-error').textContent())
      .toContain('registrar "provider.example:99999" is not a SIP URI');
    expect(await section.locator('.banner.danger').textContent()).toContain('UAC upstreams of eu-sw1 (127.0.0.1): upstream 2');
    expect((await ok<{ upstreams: unknown[] }>('uac:get', { serverId: server.id })).upstreams).toEqual([]);
    await shot('uac-refused-dark');

    await rows.nth(1).getByTestId('uac-registrar').fill(`127.0.0.1:${upstream.sipPort}`);
    await section.getByTestId('uac-save').click();
    await expect.poll(() => rows.nth(0).getByTestId('uac-password').getAttribute('placeholder')).toBe('•••••••• stored');
    expect(await rows.nth(0).getByTestId('uac-password').inputValue()).toBe('');
    expect(await section.locator('.field-error').count()).toBe(0);

    const run = await ok<{ id: string }>('actions:run', { action: 'install', serverIds: [server.id] });
    const done = await until(
      'the install to end',
      async () => {
        const r = await ok<{ status: string; results: { error: string | null }[] }>('actions:get-run', { id: run.id });
        return r.status === 'running' ? null : r;
      },
      30_000,
    );
    expect(done.status, done.results[0]?.error ?? '').toBe('succeeded');

    const states = section.getByTestId('uac-state');
    await until(
      'one registered and one refused',
      async () => {
        await section.getByTestId('uac-read').click();
        await expect.poll(() => section.getByTestId('uac-read').isEnabled()).toBe(true);
        const texts = await states.allTextContents();
        return texts[0]?.includes('Registered') === true && texts[1]?.includes('Not registered') === true;
      },
      20_000,
    );
    expect(await states.nth(0).textContent()).toMatch(/● Registered\s+renews in \d+ (s|min)/);
    expect(await states.nth(1).textContent()).toContain('wrong username or password');
    expect(await section.textContent()).toMatch(/Read (just now|<1 min ago|\d+ s ago)? ?with kamcmd uac\.reg_dump/);
    await shot('uac-state-dark');
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await shot('uac-state-light');
    // The advisor names the upstream not registered; its button opens this table.
    await page.keyboard.press('t');
    await s.open('#/advisor');
    const finding = page.locator('li[data-rule="uac-not-registered"]');
    await finding.waitFor();
    expect(await finding.count()).toBe(1);
    expect(await finding.locator('.message').textContent()).toMatch(
      /^eu-sw1 is not registered to upstream 4420002 at 127\.0\.0\.1:\d+: Kamailio gave up/,
    );
    await shot('uac-advisor-dark', false);
    await finding.getByRole('button', { name: 'Open UAC Auth upstreams on eu-sw1' }).click();
    // The table's first cell takes the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('uac-registrar');
    if (SHOTS) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await s.open(`#/servers/${server.id}/config`);
      await section.getByTestId('uac-state').first().waitFor();
      // The wheel scrolls the page body only (scrollIntoView would move the window as well).
      await page.mouse.move(640, 400);
      await page.mouse.wheel(0, 560);
      await page.keyboard.press('t');
      await shot('uac-state-light-1280');
      await page.keyboard.press('t');
      await shot('uac-state-dark-1280');
    }
  }, 60_000);
});
