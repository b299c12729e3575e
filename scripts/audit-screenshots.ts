// Screenshots of who did what: `npx tsx scripts/audit-screenshots.ts [OUTDIR]` (default
// .tmp/screenshots/audit). Seeds a data folder through the host's real dispatch as two team
// accounts (ana, an operator at 192.0.2.10; bob, an admin at 198.51.100.7) and the local user:
// settings, an import, silences, an acknowledgement and an action run against a loopback port
// nobody listens on (it fails at connect, which is all the log needs). Then serves it and shoots
// the Audit screen, the actions log with a run open, and the alerts and silences that name who,
// at 1600×900 and 1280×720 in both themes. Copies the 1600×900 ones to docs/screenshots.
import type { InputOf, MethodName, OutputOf } from '../src/contract/methods';
import type { HostApp } from '../src/host/app';
import type { Caller } from '../src/host/caller';
import { freePort } from '../test/helpers/free-port';
import { draft } from '../test/helpers/fleet-fixtures';
import { copyToDocs, fontsSettled, openStage, outputDir, seedHost, shootAll, THEMES, type Shot } from './screenshot-kit';
const ana: Caller = { account: 'ana', role: 'operator', address: '192.0.2.10' };
const bob: Caller = { account: 'bob', role: 'admin', address: '198.51.100.7' };

async function as<M extends MethodName>(app: HostApp, caller: Caller | undefined, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await app.dispatch(method, input, caller);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.data as OutputOf<M>;
}

async function seed(app: HostApp): Promise<string> {
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
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/audit');
  let runId = '';
  const { host, browser, close } = await openStage({ prepare: async (dataDir) => (runId = await seedHost(dataDir, seed)) });
  try {
    const shots: Shot[] = [
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
    await shootAll(browser, host.url, outDir, shots, { pointerAway: true, settle: fontsSettled });
    await copyToDocs(
      outDir,
      shots.map((s) => s.name),
      THEMES,
    );
  } finally {
    await close();
  }
}

await main();
