// Screenshots of who did what: `npx tsx scripts/audit-screenshots.ts [OUTDIR]` (default
// .tmp/screenshots/audit). Seeds a data folder through the host's real dispatch as two team
// accounts (ana, an operator at 192.0.2.10; bob, an admin at 198.51.100.7) and the local user:
// settings, an import, silences, an acknowledgement and an action run against a loopback port
// nobody listens on (it fails at connect, which is all the log needs). Then serves it and shoots
// the Audit screen, the actions log with a run open, and the alerts and silences that name who,
// at 1600×900 and 1280×720 in both themes. Copies the 1600×900 ones to docs/screenshots.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { InputOf, MethodName, OutputOf } from '../src/contract/methods';
import { openHost, type HostApp } from '../src/host/app';
import type { Caller } from '../src/host/caller';
import { launchBrowser, makeDataDir, ROOT, startHost } from '../test/e2e/fixtures';
import { freePort } from '../test/helpers/free-port';
import { draft } from '../test/helpers/fleet-fixtures';
import { copyToDocs, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;
const ana: Caller = { account: 'ana', role: 'operator', address: '192.0.2.10' };
const bob: Caller = { account: 'bob', role: 'admin', address: '198.51.100.7' };

async function as<M extends MethodName>(app: HostApp, caller: Caller | undefined, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await app.dispatch(method, input, caller);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.data as OutputOf<M>;
}

async function seed(dataDir: string): Promise<string> {
  const app = openHost({ dataDir, log: () => {} });
  try {
    await as(app, bob, 'fleet:load-demo', {});
    await as(app, bob, 'settings:update', { probeIntervalSec: 5, statusMaxLatencyMs: 200 });
    const zone = (await as(app, undefined, 'fleet:list-zones', {}))[0];
    if (!zone) throw new Error('The demo fleet has no zone.');
    // SSH to a loopback port nobody listens on: the run is real and fails at connect.
    const port = await freePort();
    const target = await as(
      app,
      bob,
      'fleet:create-server',
      draft(zone.id, { ip: '127.0.0.1', alias: 'lab-sw-1', ssh: { ...draft(zone.id).ssh, port } }),
    );
    await as(app, ana, 'alerts:create-silence', {
      scope: { level: 'zone', id: zone.id },
      for: '2h',
      reason: 'carrier maintenance CHG-4411',
    });
    await as(app, undefined, 'alerts:create-silence', { scope: { level: 'fleet' }, for: '30m', reason: 'wall display test' });
    const alert = app.store.alerts.insert({
      kind: 'consecutive-failures',
      subjectType: 'server',
      subjectId: target.id,
      subjectLabel: `${target.alias} (${target.ip})`,
      serverId: target.id,
      ip: target.ip,
      zoneId: target.zoneId,
      zoneName: zone.name,
      clusterId: null,
      clusterName: null,
      severity: 'critical',
      state: 'firing',
      flapping: false,
      summary: 'SIP: 3 probes lost in a row',
      value: 3,
      threshold: 3,
      ruleSource: 'built-in default',
      startedAt: Date.now() - 600_000,
      updatedAt: Date.now() - 600_000,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
      resolvedAt: null,
      resolveNote: null,
      notifiedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
    });
    await as(app, ana, 'alerts:acknowledge', { ids: [alert.id], note: 'looking at the upstream' });
    const run = await as(app, ana, 'actions:run', { action: 'restart', serverIds: [target.id], confirmation: '1' });
    for (let i = 0; i < 100 && (await as(app, undefined, 'actions:get-run', { id: run.id })).status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    app.audit.record({ kind: 'sign-in', account: 'ana', address: '192.0.2.10', detail: 'Signed in (operator)' });
    app.audit.record({ kind: 'sign-in-failed', account: 'admin', address: '203.0.113.66', detail: 'Wrong password (3rd in a minute)' });
    return run.id;
  } finally {
    await app.close();
  }
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/audit'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  const runId = await seed(dataDir);
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
  try {
    const shots: { name: string; hash: string; prepare: (page: Page) => Promise<void> }[] = [
      { name: 'audit', hash: '#/audit', prepare: async (page) => void (await page.getByTestId('audit-row').first().waitFor()) },
      {
        name: 'actions-log-who',
        hash: `#/actions/${runId}`,
        prepare: async (page) => void (await page.getByTestId('run-detail').waitFor()),
      },
      {
        name: 'alerts-who',
        hash: '#/alerts',
        prepare: async (page) => void (await page.locator('text=looking at the upstream').first().waitFor()),
      },
      {
        name: 'silences-who',
        hash: '#/alerts/silences',
        prepare: async (page) => void (await page.getByTestId('silence-row').first().waitFor()),
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
            await shot.prepare(page);
            await page.mouse.move(size.width - 2, size.height - 2);
            await settle(page);
            await page.screenshot({ path: path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
          } finally {
            await context.close();
          }
        }
      }
    }
    await copyToDocs(
      outDir,
      shots.map((s) => s.name),
      THEMES,
    );
  } finally {
    await browser.close();
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
