import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHost } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { addServers, seedKnownHosts, watchRuns } from '../helpers/actions-fixtures';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { startSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

// An action run by the console puts its servers in maintenance: the real probes go on (SIP to a
// port where nothing answers), the alert is raised but held, and only when the run's grace period
// is over and the server is still down does anyone hear of it. The action itself runs over SSH
// against the real test sshd.

const tempDir = useTempDirs();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe("maintenance around the console's own actions", () => {
  it('holds the alert for the run plus its grace, then alerts if the server is still down', async () => {
    const sshd = await startSshd({ addresses: ['127.0.0.2'] });
    cleanups.push(() => sshd.stop());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const dataDir = tempDir();
    seedKnownHosts(dataDir, ['127.0.0.2'], sshd.port);
    const recipesFile = path.join(dataDir, 'recipes.json');
    const book = defaultRecipeBook();
    // A restart that takes two seconds, and three seconds of grace after it.
    writeFileSync(
      recipesFile,
      JSON.stringify({
        ...book,
        recipes: book.recipes.map((r) =>
          r.action === 'restart' ? { ...r, command: ['sh', '-c', 'sleep 2; echo restarted'], maintenanceGraceSec: 3 } : r,
        ),
      }),
    );
    const app = openHost({
      dataDir,
      monitoring: true,
      log: () => undefined,
      actions: { recipesFile, throttleMs: 20, user: 'alice' },
      alertsRuntime: { tickMs: 100 },
    });
    cleanups.push(() => app.close());
    const runs = watchRuns(app);
    await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300 });
    const channel = await call(app, 'alerts:save-channel', {
      name: 'hook',
      config: { kind: 'webhook', preset: 'generic' },
      secrets: { url: receiver.url('/hook') },
    });
    await call(app, 'alerts:save-route', { channelId: channel.id, severities: ['critical'] });
    const silent = await freePort();
    const [server] = await addServers(app, ['127.0.0.2'], sshd.port, {
      config: { ...draft('z').config, ports: { udp: silent, tcp: silent, tls: silent } },
    });

    const run = await call(app, 'actions:run', {
      action: 'restart',
      serverIds: [server!.id],
      options: { canary: false, stopOnFailure: true, concurrency: 1 },
    });
    const holds = await call(app, 'alerts:holds', {});
    expect(holds[server!.id]).toMatchObject({ kind: 'maintenance', until: null, reason: 'Restart Server', by: 'alice' });

    // Down while the run goes on: raised, held, nobody told.
    const held = await until('the alert, held', async () => (await call(app, 'alerts:list', {})).alerts.find((a) => a.held !== null));
    expect(held).toMatchObject({ kind: 'consecutive-failures', state: 'firing', notifiedAt: null, held: { kind: 'maintenance' } });
    expect(await call(app, 'alerts:counts', {})).toMatchObject({ firing: 0, held: 1 });
    await runs.finished(run.id);
    const [maintenance] = await call(app, 'alerts:list-maintenance', {});
    expect(maintenance).toMatchObject({ serverId: server!.id, runId: run.id, reason: 'Restart Server', createdBy: 'alice', active: true });
    expect(maintenance!.endsAt).toBeGreaterThan(Date.now() + 1_000);
    expect(receiver.requests).toHaveLength(0);

    // Grace over, still down: now it alerts, once.
    await until('the alert delivered after the grace', () => receiver.requests.length > 0, 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(maintenance!.endsAt as number);
    const body = receiver.requests[0]?.body as { alerts: { what: string; subject: { label: string } }[] };
    expect(body.alerts).toEqual([
      expect.objectContaining({ what: 'firing', subject: { type: 'server', id: server!.id, label: 'sw-01 (127.0.0.2)' } }),
    ]);
    expect((await call(app, 'alerts:holds', {}))[server!.id]).toBeUndefined();
    expect(await call(app, 'alerts:counts', {})).toMatchObject({ firing: 1, held: 0 });
  }, 60_000);
});
