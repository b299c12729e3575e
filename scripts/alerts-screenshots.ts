// Screenshots of the Alerts screens with LIVE alerts: `npx tsx scripts/alerts-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/alerts). Starts kamailio on a few demo addresses (the rest of the demo
// fleet does not answer and raises "Server down"), its own `switchyard serve` probing every second,
// a webhook receiver on loopback for the Slack and PagerDuty channels, then acknowledges some
// alerts, silences a cluster, runs a restart (maintenance) and sets rule overrides, and shoots the
// four tabs (with an alert's detail, a refused rule and a channel's editor), the fleet, a held
// server and the overview at 1600×900 and 1280×720 in both themes.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { Alert } from '../src/contract/alerts';
import { startDemoKamailio } from '../test/helpers/demo-kamailio';
import type { Host } from '../test/e2e/fixtures';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, until, type Shot } from './screenshot-kit';

const ANSWERING = ['127.0.10.1', '127.0.10.11', '127.0.10.12', '127.0.20.11', '127.0.30.11'];

/** A webhook receiver that accepts everything, as Slack and PagerDuty would. */
async function startReceiver(): Promise<{ url: string; server: HttpServer }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url?.includes('pagerduty') ? 202 : 200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type Ids = {
  servers: { id: string; ip: string; alias: string; zoneId: string; clusterId: string | null }[];
  zones: { id: string; name: string }[];
  clusters: { id: string; name: string }[];
};

async function seed(host: Host, receiver: string): Promise<Ids> {
  await ok(host, 'fleet:load-demo');
  await ok(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
  const ids: Ids = {
    servers: await ok(host, 'fleet:list-servers'),
    zones: await ok(host, 'fleet:list-zones'),
    clusters: await ok(host, 'fleet:list-clusters'),
  };
  const zone = (name: string) => ids.zones.find((z) => z.name === name)?.id ?? '';
  const cluster = (name: string) => ids.clusters.find((c) => c.name === name)?.id ?? '';
  const server = (alias: string) => ids.servers.find((s) => s.alias === alias)?.id ?? '';

  // Rules: a fleet latency rule, overrides for a zone, a cluster and a server.
  await ok(host, 'alerts:set-rule', { kind: 'latency', scope: { level: 'fleet', id: null }, params: { enabled: true, threshold: 150 } });
  await ok(host, 'alerts:set-rule', {
    kind: 'latency',
    scope: { level: 'zone', id: zone('EU-West') },
    params: { threshold: 80, severity: 'critical' },
  });
  await ok(host, 'alerts:set-rule', {
    kind: 'consecutive-failures',
    scope: { level: 'cluster', id: cluster('core-us') },
    params: { raiseAfter: 5, clearAfter: 3 },
  });
  await ok(host, 'alerts:set-rule', {
    kind: 'cert-expiry',
    scope: { level: 'server', id: server('uk-lon-sw1') },
    params: { threshold: 30 },
  });
  await ok(host, 'alerts:set-rule', { kind: 'sip-loss', scope: { level: 'fleet', id: null }, params: { enabled: true } });

  // Channels and routes: Slack and PagerDuty answer; the mail server does not exist (failing).
  const slack = await ok<{ id: number }>(host, 'alerts:save-channel', {
    name: 'NOC Slack',
    config: { kind: 'webhook', preset: 'slack' },
    secrets: { url: `${receiver}/services/T000/B000/slack-token` },
  });
  const pd = await ok<{ id: number }>(host, 'alerts:save-channel', {
    name: 'PagerDuty on-call',
    config: { kind: 'webhook', preset: 'pagerduty' },
    secrets: { routingKey: 'R0UT1NGKEY', url: `${receiver}/pagerduty/v2/enqueue` },
  });
  const mail = await ok<{ id: number }>(host, 'alerts:save-channel', {
    name: 'NOC mail',
    config: {
      kind: 'email',
      host: '127.0.0.1',
      port: 1,
      security: 'none',
      user: null,
      from: 'switchyard@example.net',
      to: ['noc@example.net', 'oncall@example.net'],
      timeoutMs: 2000,
    },
  });
  await ok(host, 'alerts:save-route', { channelId: slack.id, severities: ['critical', 'warning'] });
  await ok(host, 'alerts:save-route', {
    channelId: pd.id,
    severities: ['critical'],
    kinds: ['consecutive-failures'],
    scope: { level: 'zone', id: zone('US-East') },
    notifyResolved: false,
  });
  await ok(host, 'alerts:save-route', { channelId: mail.id, severities: ['critical', 'warning', 'info'] });
  await ok(host, 'alerts:test-channel', { id: slack.id });
  return ids;
}

async function makeAlertsHappen(host: Host, ids: Ids): Promise<void> {
  const ACKED = ['uk-lon-trial2', 'us-east-lb2'];
  const acked = await until('Server down on the servers to acknowledge', async () => {
    const { alerts } = await ok<{ alerts: Alert[] }>(host, 'alerts:list', { state: 'open', kind: 'consecutive-failures' });
    const found = ACKED.map((alias) => alerts.find((a) => a.subject.label.startsWith(`${alias} (`)));
    return found.every((a) => a !== undefined) ? (found as Alert[]) : null;
  });
  await ok(host, 'alerts:acknowledge', { ids: acked.map((a) => a.id), note: 'On it: trial box and lb2 rebuild, customer told (NOC-1240)' });
  const eu = ids.clusters.find((c) => c.name === 'core-eu');
  if (eu)
    await ok(host, 'alerts:create-silence', {
      scope: { level: 'cluster', id: eu.id },
      for: '2h',
      reason: 'Carrier work on the Frankfurt trunk (NOC-1234)',
    });
  const lon = ids.servers.find((s) => s.alias === 'uk-lon-sw2');
  // Nothing answers SSH there: the run fails at once and the server stays in maintenance for its grace.
  if (lon)
    await ok(host, 'actions:run', {
      action: 'restart',
      serverIds: [lon.id],
      params: {},
      options: { canary: false, stopOnFailure: false, concurrency: 1 },
    });
  await until('the maintenance', async () => {
    const holds = await ok<Record<string, { kind: string }>>(host, 'alerts:holds');
    return Object.values(holds).some((h) => h.kind === 'maintenance') ? true : null;
  });
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/alerts');
  const kamailio = await startDemoKamailio(ANSWERING);
  const receiver = await startReceiver();
  const stage = await openStage();
  const { host, browser } = stage;
  try {
    const ids = await seed(host, receiver.url);
    await makeAlertsHappen(host, ids);
    const sw1 = ids.servers.find((s) => s.alias === 'us-east-sw1');
    const euSw2 = ids.servers.find((s) => s.alias === 'eu-west-sw2');
    const shots: Shot[] = [
      { name: 'alerts', hash: '#/alerts', prepare: async (page) => void (await page.getByTestId('alert-row').first().waitFor()) },
      {
        name: 'alert-detail',
        hash: '#/alerts',
        prepare: async (page) => {
          await page.locator('[data-testid="alert-row"][data-state="acknowledged"]').first().locator('button.open').click();
          await page.getByTestId('alert-detail').waitFor();
        },
      },
      {
        name: 'rules',
        hash: '#/alerts/rules',
        prepare: async (page) => {
          if (sw1) await page.getByTestId('effective-server').selectOption(sw1.id);
          await page.getByTestId('effective-kind').first().waitFor();
          const latency = page.locator('[data-testid="rule-kind"][data-kind="latency"]');
          await latency.locator('[data-testid="rule-row"][data-scope="zone"]').getByTestId('edit-rule').click();
          await page.locator('#rule-raiseAfter').fill('10');
          await page.locator('#rule-window').fill('5');
          await page.getByTestId('save-rule').click();
          await page.locator('[data-field="rule-raiseAfter"] .field-error').waitFor();
          // The latency section at the top, its heading clear of the tabs.
          await latency.evaluate((el) => el.scrollIntoView({ block: 'start' }));
          await page.locator('main .page-body').evaluate((el) => el.scrollBy(0, -12));
        },
      },
      {
        name: 'channels',
        hash: '#/alerts/channels',
        prepare: async (page) => void (await page.getByTestId('channel-card').first().waitFor()),
      },
      {
        name: 'channel-edit',
        hash: '#/alerts/channels',
        prepare: async (page) => {
          await page.locator('[data-testid="channel-card"][data-channel="NOC Slack"]').getByTestId('edit-channel').click();
          await page.getByTestId('channel-dialog').waitFor();
        },
      },
      {
        name: 'silences',
        hash: '#/alerts/silences',
        prepare: async (page) => void (await page.getByTestId('silence-row').first().waitFor()),
      },
      { name: 'fleet-held', hash: '#/fleet', prepare: async (page) => void (await page.getByTestId('hold-badge').first().waitFor()) },
      ...(euSw2
        ? [
            {
              name: 'server-silenced',
              hash: `#/servers/${euSw2.id}`,
              prepare: async (page: Page) => void (await page.getByTestId('hold-banner').waitFor()),
            },
          ]
        : []),
      { name: 'overview-held', hash: '#/overview', prepare: async (page) => void (await page.getByTestId('tile-hold').first().waitFor()) },
    ];
    await shootAll(browser, host.url, outDir, shots, { pointerAway: true, settle: 600 });
    await copyToDocsAs(outDir, [
      ['alerts-1600x900-dark', 'alerts-page-dark'],
      ['rules-1600x900-light', 'alerts-rules-light'],
    ]);
  } finally {
    await stage.close();
    await kamailio.stop();
    receiver.server.close();
  }
}

await main();
