import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import type { HostApp } from '../../src/host/app';
import { addServers, watchRuns, writeRecipes } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { openLoadPollLab, type LoadPollLab } from '../helpers/load-poll-lab';
import { startSshd, type Sshd } from '../helpers/sshd';

// Load polling through a real sshd: the shipped probe reads this machine's /proc; a stand-in
// probe reports a pending update and zero channels, which with Auto Upgrade on applies the
// update automatically and logs it (the machine's own `apt-get -s upgrade` cannot be made to
// have an update pending on demand; the shipped probe's real apt-get run is in
// load-calls-kamailio.test.ts).

let sshd: Sshd;
let lab: LoadPollLab;
let app: HostApp;
let recipesFile: string;
let servers: Server[];
let runs: ReturnType<typeof watchRuns>;

/** A load report as the probe prints it, with the channel count read from a file on the "server". */
function probePrinting(pending: number): string[] {
  const channels = path.join(sshd.workDir, 'channels');
  return [
    'sh',
    '-c',
    `ch=$(cat ${channels} 2>/dev/null || echo 3); printf '{"load":[0.5,0.25,0.1],"memory":{"totalKb":1000,"availableKb":400},"uptimeSec":1234,"channels":%s,"pendingUpdates":${pending}}\\n' "$ch"`,
  ];
}

beforeAll(async () => {
  sshd = await startSshd({ addresses: ['127.0.0.30', '127.0.0.31'] });
  // The interval is long: the test drives polls itself with pollOnce.
  lab = await openLoadPollLab({
    sshd,
    prefix: 'switchyard-actions-',
    writeRecipes: (file) => writeRecipes(file, {}),
    throttleMs: 20,
    seed: async (host) => {
      runs = watchRuns(host);
      servers = await addServers(host, sshd.addresses, sshd.port);
    },
  });
  ({ app, recipesFile } = lab);
}, 60_000);

afterAll(async () => {
  await lab?.close();
  await sshd?.stop();
});

const poller = () => lab.wiring.handlerDeps.loads;

describe('server load over SSH', () => {
  it('parses the real /proc of the server and stores the reading', async () => {
    const outcome = await poller().pollOnce(servers[0]!.id);
    expect(outcome).toMatchObject({ ok: true });
    const history = await call(app, 'actions:server-load', { serverId: servers[0]!.id });
    expect(history.error).toBeNull();
    expect(history.samples).toHaveLength(1);
    const sample = history.samples[0]!;
    const meminfo = (await import('node:fs')).readFileSync('/proc/meminfo', 'utf8');
    expect(sample.memTotalKb).toBe(Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1]));
    expect(sample.uptimeSec).toBeGreaterThan(0);
    expect(sample.load.every((n) => n >= 0)).toBe(true);
  });

  it('a failed probe is reported, not charted as zeros', async () => {
    writeRecipes(recipesFile, {}, ['sh', '-c', 'echo "Welcome to the server"']);
    const outcome = await poller().pollOnce(servers[1]!.id);
    expect(outcome).toMatchObject({ ok: false });
    const history = poller().history(servers[1]!.id);
    expect(history.samples).toHaveLength(0);
    expect(history.error).toMatch(/did not print JSON/);
  });

  it('a pending update marks the server stale; Auto Upgrade applies it at zero channels, logged as automatic', async () => {
    const target = servers[1]!;
    await call(app, 'fleet:update-server', {
      id: target.id,
      draft: { ...editable(target), config: { ...target.config, autoUpgrade: true } },
    });
    writeRecipes(recipesFile, { update: ['sh', '-c', 'echo "applying update"; rm -f pending'] }, probePrinting(2));

    // Busy (3 channels): stale, but nothing applied.
    const busy = await poller().pollOnce(target.id);
    expect(busy).toMatchObject({ ok: true, autoUpgradeRunId: null });
    expect((await call(app, 'fleet:get-server', { id: target.id })).updatePending).toBe(true);
    expect((await call(app, 'actions:list-runs', { action: 'update' })).total).toBe(0);

    // Idle: the update runs by itself and clears the flag.
    (await import('node:fs')).writeFileSync(path.join(sshd.workDir, 'channels'), '0\n');
    const idle = await poller().pollOnce(target.id);
    if (!idle.ok || idle.autoUpgradeRunId === null) throw new Error(`expected an automatic update, got ${JSON.stringify(idle)}`);
    await runs.finished(idle.autoUpgradeRunId);
    const run = await call(app, 'actions:get-run', { id: idle.autoUpgradeRunId });
    expect(run).toMatchObject({ origin: 'automatic', action: 'update', status: 'succeeded' });
    expect(run.results[0]?.output).toBe('applying update\n');
    expect((await call(app, 'fleet:get-server', { id: target.id })).updatePending).toBe(false);
    expect((await call(app, 'actions:list-runs', { text: 'applying update' })).total).toBe(1);
  });

  it('without Auto Upgrade a pending update only marks the server stale', async () => {
    const target = servers[0]!;
    const outcome = await poller().pollOnce(target.id);
    expect(outcome).toMatchObject({ ok: true, autoUpgradeRunId: null });
    expect((await call(app, 'fleet:get-server', { id: target.id })).updatePending).toBe(true);
  });
});

function editable(s: Server) {
  const { id: _id, status: _status, installRecommended: _ir, updatePending: _up, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}
