// Screenshots of the Tools page (ping live, MTR, compare, paste of each kind, the host-key
// prompt): `npx tsx scripts/screenshots-tools.ts OUTDIR [--paste-only]`. Its own `switchyard serve` on a temporary
// data folder, real ping and mtr to loopback, and a real sshd on loopback for the prompt.
import { copyFileSync, chmodSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { callHost, ROOT } from '../test/e2e/fixtures';
import { fixture, startSshd, TEST_USER } from '../test/helpers/sshd';
import { DARK_LARGE_LIGHT_SMALL, openStage, snap, themedPage } from './screenshot-kit';

const out = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'screenshots/tools');
// Only the Paste tab: no live runs and no server over SSH (so no host-key prompt either).
const pasteOnly = process.argv.includes('--paste-only');
const fixturePath = (rel: string) => path.join(ROOT, 'test/fixtures', rel);
const SIP =
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nv: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nt: Bob <sip:bob@biloxi.example.com>\r\nf: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\ni: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 OPTIONS\r\nm: <sip:alice@pc33.atlanta.example.com>\r\nc: application/sdp\r\nl: 4\r\n\r\nv=0\r\n';

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // let ECharts paint its canvas after the last update
  await snap(page, out, name);
}

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const stage = await openStage();
  const { host, browser, dataDir } = stage;
  const sshd = await startSshd();
  try {
    const key = path.join(dataDir, 'id_test');
    copyFileSync(fixture('user_ed25519'), key);
    chmodSync(key, 0o600);
    // No demo fleet: its servers are not reachable from here and would fill the screen with alerts.
    const zone = await callHost<{ id: string }>(host, 'fleet:create-zone', { name: 'Lab', description: '' });
    if (!pasteOnly) {
      await callHost(host, 'fleet:create-server', {
        ...defaultServerDraft(zone.data?.id ?? ''),
        ip: '127.0.0.1',
        alias: 'lab-sw1',
        ssh: { host: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'key', keyPath: key, jumpHost: null },
      });
    }
    const sshServer = (await callHost<{ id: string; alias: string }[]>(host, 'fleet:list-servers')).data?.find(
      (s) => s.alias === 'lab-sw1',
    );

    for (const [theme, size] of DARK_LARGE_LIGHT_SMALL) {
      await themedPage(browser, size, theme, async (page) => {
        await page.goto(`${host.url}#/tools`);
        await page.getByTestId('run-form').waitFor();
        const tag = `${theme}-${size.width}`;

        if (!pasteOnly) {
          await page.getByLabel('Target').fill('127.0.0.1');
          await page.getByLabel('Count').fill('40');
          await page.getByLabel('Interval s').fill('0.2');
          await page.getByRole('button', { name: 'Run ping' }).click();
          await page.locator('[data-testid="ping-replies"] tr[data-seq="12"]').waitFor();
          await shot(page, `tools-ping-live-${tag}`);
          await page.getByTestId('run-panel').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });

          await page.locator('[data-testid="run-form"] .seg label', { hasText: 'MTR' }).click();
          await page.getByLabel('Rounds').fill('3');
          await page.getByRole('button', { name: 'Run MTR' }).click();
          await page.locator('[data-testid="mtr-hops"] tr[data-hop]').first().waitFor();
          await shot(page, `tools-mtr-live-${tag}`);
          await page.getByTestId('run-panel').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });

          if (theme === 'dark' && sshServer) {
            await page.locator('[data-testid="run-form"] .seg label', { hasText: 'Ping' }).click();
            await page.getByLabel('From').selectOption(sshServer.id);
            await page.getByLabel('Count').fill('10');
            await page.getByRole('button', { name: 'Run ping' }).click();
            await page.getByTestId('host-key-prompt').waitFor();
            await shot(page, `tools-host-key-prompt-${tag}`);
            await page.getByRole('button', { name: 'Accept and connect' }).click();
            await page.getByTestId('run-panel').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
            const pings = page.locator('[data-testid="tool-history"] li', { hasText: 'Ping' });
            await pings.nth(0).getByRole('checkbox').check();
            await pings.nth(1).getByRole('checkbox').check();
            await page.getByTestId('compare-picked').click();
            await page.getByTestId('compare-verdict').waitFor();
            await shot(page, `tools-compare-${tag}`);
          }
        }

        await page.getByTestId('mode-paste').click();
        // Files go in as bytes (CP850 stays CP850) and are decoded by the host; text is typed in.
        const pastes: [string, { file: string } | { text: string }][] = [
          ['ping-windows-de', { file: fixturePath('ping/windows-de-timeout.txt') }],
          ['ping-windows-ru', { file: fixturePath('ping/windows-ru-8888.txt') }],
          ['mtr-report', { file: fixturePath('mtr/report-multipath-r540.txt') }],
          ['mtr-screen', { file: fixturePath('mtr/screen-asn-ecmp-waiting.txt') }],
          // A real Linux ping with eight requests lost in a row (no line printed for them).
          ['ping-lost', { file: fixturePath('ping/linux-sendmsg-unreachable.txt') }],
          ['sip', { text: SIP }],
          ['unknown', { text: 'hello, this is not a tool output\n' }],
        ];
        for (const [name, input] of pastes) {
          if (theme === 'light' && name !== 'ping-windows-de' && name !== 'ping-lost') continue;
          if ('file' in input) {
            await page.locator('[data-testid="paste-panel"] input[type="file"]').setInputFiles(input.file);
          } else {
            await page.locator('#paste-text').fill(input.text);
            await page.getByRole('button', { name: 'Read', exact: true }).click();
          }
          await page.locator(`[data-testid="paste-kind"][data-kind="${name.split('-')[0]}"]`).waitFor();
          // The chart library loads on first use: wait for its canvas, not a guess.
          if (name.startsWith('ping') || name.startsWith('mtr'))
            await page.locator(`[data-testid="${name.split('-')[0]}-chart"] canvas`).waitFor();
          if (name === 'ping-lost') {
            // The chart's loss marks and the table's lost rows in one view.
            await page.locator('[data-testid="ping-replies"] tr[data-lost]').first().waitFor();
            await page.getByTestId('ping-chart').scrollIntoViewIfNeeded();
          }
          await shot(page, `tools-paste-${name}-${tag}`);
        }
        if (theme === 'dark' && !pasteOnly) {
          await page
            .locator('[data-testid="paste-panel"] input[type="file"]')
            .setInputFiles(fixturePath('ping/windows-de-abbreviated.txt'));
          await page.locator('[data-testid="paste-kind"][data-kind="ping"]').waitFor();
          await page.locator('#paste-target').fill('127.0.0.1');
          await page.getByTestId('compare-live').click();
          await page.getByTestId('compare-panel').waitFor();
          await page
            .locator('[data-testid="compare-panel"] [data-testid="run-status"][data-status="running"]')
            .waitFor({ state: 'detached', timeout: 30_000 });
          await shot(page, `tools-paste-compare-${tag}`);
          if (sshServer) {
            await page.goto(`${host.url}#/servers/${sshServer.id}/tools`);
            await page.getByTestId('server-tools').waitFor();
            await page.getByLabel('Target').fill('127.0.0.1');
            await page.getByRole('button', { name: 'Run ping' }).click();
            await page.getByTestId('run-panel').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
            await shot(page, `server-tools-tab-${tag}`);
          }
        }
      });
    }
  } finally {
    await stage.close();
    await sshd.stop();
  }
}

await main();
