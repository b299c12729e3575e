import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { openHost, type HostApp } from '../../src/host/app';
import { addServers, loopbackTargets, seedKnownHosts, watchRuns, writeRecipes } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { startSshd, type Sshd } from '../helpers/sshd';

// Actions through the host's contract against a real sshd listening on 20 loopback addresses.
// The recipes' commands are `sh -c` scripts (the test sshd has no systemd) that echo, record how
// many of them run at once, and fail on one chosen address.

const ADDRESSES = loopbackTargets(20);
const made: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-actions-'));
  made.push(dir);
  return dir;
};
let sshd: Sshd;
let dataDir: string;
let recipesFile: string;
let app: HostApp;
let servers: Server[];
let runs: ReturnType<typeof watchRuns>;

/** Counts concurrent runs in the sshd's work folder, sleeps, fails on `failIp`. */
function countingScript(failIp: string | null): string[] {
  const work = sshd.workDir;
  const fail = failIp
    ? `case "$SSH_CONNECTION" in *" ${failIp} ${sshd.port}") echo "boom on ${failIp}" >&2; rm -f "$f"; exit 3;; esac; `
    : '';
  return [
    'sh',
    '-c',
    `f=${work}/run.$$; : > "$f"; ls ${work} | grep -c '^run\\.' > ${work}/max.$$; echo "restarting on $SSH_CONNECTION"; sleep 0.3; ${fail}rm -f "$f"; echo done`,
  ];
}

function maxConcurrent(): number {
  const files = readdirSync(sshd.workDir).filter((f) => f.startsWith('max.'));
  const max = Math.max(...files.map((f) => Number(readFileSync(path.join(sshd.workDir, f), 'utf8').trim())));
  for (const f of files) rmSync(path.join(sshd.workDir, f));
  return max;
}

beforeAll(async () => {
  sshd = await startSshd({ addresses: ADDRESSES });
  dataDir = tempDir();
  recipesFile = path.join(dataDir, 'recipes.json');
  seedKnownHosts(dataDir, ADDRESSES, sshd.port);
  writeRecipes(recipesFile, { restart: countingScript(null) });
  app = openHost({ dataDir, log: () => {}, actions: { recipesFile, throttleMs: 20, user: 'oncall' } });
  runs = watchRuns(app);
  servers = await addServers(app, ADDRESSES, sshd.port);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sshd?.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const ids = (list: Server[]) => list.map((s) => s.id);

describe('fan-out over the real sshd', () => {
  it('runs a canary alone, then the rest never more than `concurrency` at once, and logs everything', async () => {
    writeRecipes(recipesFile, { restart: countingScript(null) });
    const plan = await call(app, 'actions:plan', { action: 'restart', serverIds: ids(servers) });
    expect(plan).toMatchObject({ confirm: 'typed', confirmText: '20', label: 'Restart Server' });
    expect(plan.impact).toMatch(/Generally not recommended for troubleshooting/);
    const run = await call(app, 'actions:run', {
      action: 'restart',
      serverIds: ids(servers),
      confirmation: '20',
      options: { canary: true, stopOnFailure: true, concurrency: 4 },
    });
    const updates = await runs.finished(run.id);
    const final = updates[updates.length - 1];
    expect(final).toMatchObject({ status: 'succeeded', progress: { total: 20, done: 20, failed: 0, remaining: 0 } });
    expect(maxConcurrent()).toBe(4);
    // Live output arrived as events, per server.
    expect(updates.flatMap((u) => u.output).some((o) => o.position === 3 && o.chunk.includes('restarting on'))).toBe(true);

    const logged = await call(app, 'actions:get-run', { id: run.id });
    expect(logged).toMatchObject({
      user: 'oncall',
      origin: 'web',
      status: 'succeeded',
      action: 'restart',
      options: { concurrency: 4, canary: true },
    });
    expect(logged.results).toHaveLength(20);
    // The canary (position 0) finished before any other server started.
    const [canary, ...rest] = logged.results;
    expect(Math.min(...rest.map((r) => r.startedAt ?? 0))).toBeGreaterThanOrEqual(canary?.endedAt ?? Infinity);
    for (const r of logged.results) {
      expect(r).toMatchObject({ state: 'done', exitCode: 0, error: null });
      expect(r.output).toContain(`${r.ip} ${sshd.port}`);
      expect(r.output).toMatch(/done\n$/);
      expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt ?? Infinity);
    }
  });

  it('stop-on-failure halts the remainder after one target fails, keeping its exit code and output', async () => {
    writeRecipes(recipesFile, { restart: countingScript('127.0.0.5') });
    const run = await call(app, 'actions:run', {
      action: 'restart',
      serverIds: ids(servers),
      confirmation: '20',
      options: { canary: false, stopOnFailure: true, concurrency: 2 },
    });
    const updates = await runs.finished(run.id);
    expect(updates[updates.length - 1]?.status).toBe('failed');
    const logged = await call(app, 'actions:get-run', { id: run.id });
    const failed = logged.results.find((r) => r.ip === '127.0.0.5');
    expect(failed).toMatchObject({ state: 'failed', exitCode: 3, error: 'Exited with code 3.' });
    expect(failed?.output).toContain('boom on 127.0.0.5');
    const skipped = logged.results.filter((r) => r.state === 'skipped');
    // 127.0.0.5 is fourth: at most one more starts beside it, the rest never run.
    expect(skipped.length).toBeGreaterThanOrEqual(14);
    expect(skipped.every((r) => r.error?.includes('stop-on-failure') && r.output === '')).toBe(true);
    expect(logged.stoppedBy).toBe('stop-on-failure');
    maxConcurrent();
  });

  it('a failed canary leaves every other server untouched', async () => {
    writeRecipes(recipesFile, { restart: countingScript('127.0.0.2') });
    const run = await call(app, 'actions:run', { action: 'restart', serverIds: ids(servers.slice(0, 6)), confirmation: '6' });
    await runs.finished(run.id);
    const logged = await call(app, 'actions:get-run', { id: run.id });
    expect(logged.results.map((r) => r.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(logged.stoppedBy).toBe('canary-failed');
    maxConcurrent();
  });

  it('cancel stops running commands and skips the rest', async () => {
    writeRecipes(recipesFile, { stop: ['sh', '-c', 'echo stopping; sleep 20; echo never'] });
    const run = await call(app, 'actions:run', {
      action: 'stop',
      serverIds: ids(servers.slice(0, 5)),
      confirmation: '5',
      options: { canary: false, stopOnFailure: true, concurrency: 2 },
    });
    await expect
      .poll(() => runs.updates.some((u) => u.runId === run.id && u.output.some((o) => o.chunk.includes('stopping'))), { timeout: 10_000 })
      .toBe(true);
    await expect(call(app, 'actions:cancel', { runId: run.id })).resolves.toEqual({ cancelled: true });
    await runs.finished(run.id);
    const logged = await call(app, 'actions:get-run', { id: run.id });
    expect(logged.status).toBe('cancelled');
    expect(logged.results.filter((r) => r.state === 'cancelled')).toHaveLength(2);
    expect(logged.results.filter((r) => r.state === 'skipped')).toHaveLength(3);
    expect(logged.results.find((r) => r.state === 'cancelled')?.output).toBe('stopping\n');
    // A stop that did not succeed does not mark the servers stopped.
    const after = await call(app, 'fleet:get-server', { id: servers[0]!.id });
    expect(after.adminState).toBe('running');
  });

  it('a server that dies mid-run is marked failed and keeps its partial output', async () => {
    // The command kills its own sshd session: to the client, the server vanished mid-command.
    const killSession =
      'echo going down; p=$$; while [ "$p" -gt 1 ]; do case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; break;; esac; p=$(cut -d" " -f4 /proc/$p/stat); done; sleep 5; echo never';
    writeRecipes(recipesFile, { 'restart-service': ['sh', '-c', killSession] });
    const run = await call(app, 'actions:run', { action: 'restart-service', serverIds: [servers[10]!.id] });
    await runs.finished(run.id);
    const logged = await call(app, 'actions:get-run', { id: run.id });
    expect(logged.status).toBe('failed');
    expect(logged.results[0]).toMatchObject({ state: 'failed', exitCode: null, output: 'going down\n' });
    expect(logged.results[0]?.error).toMatch(/connection was lost/);
  });
});

describe('confirmation, guards and what success changes', () => {
  it('refuses a wrong or missing typed confirmation and records nothing', async () => {
    const before = (await call(app, 'actions:list-runs', {})).total;
    for (const confirmation of [undefined, '19', 'yes']) {
      const result = await app.dispatch('actions:run', {
        action: 'restart',
        serverIds: ids(servers.slice(0, 3)),
        ...(confirmation === undefined ? {} : { confirmation }),
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'confirmation' } });
      if (!result.ok) expect(result.error.message).toMatch(/type 3/);
    }
    expect((await call(app, 'actions:list-runs', {})).total).toBe(before);
  });

  it('a destructive action on one server needs no typed count', async () => {
    const plan = await call(app, 'actions:plan', { action: 'restart', serverIds: [servers[0]!.id] });
    expect(plan).toMatchObject({ confirm: 'simple', confirmText: null });
  });

  it('Run Server Update is refused unless an update is pending', async () => {
    const result = await app.dispatch('actions:plan', { action: 'update', serverIds: [servers[0]!.id] });
    expect(result).toMatchObject({ ok: false, error: { field: 'serverIds' } });
    if (!result.ok) expect(result.error.message).toContain("There's a pending update on the server");
  });

  it('Power Cycle is refused with a clear message when the server has no out-of-band method', async () => {
    const result = await app.dispatch('actions:run', { action: 'power-cycle', serverIds: [servers[0]!.id] });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'outOfBand' } });
    if (!result.ok) expect(result.error.message).toMatch(/sw-01 \(127\.0\.0\.2\) has no out-of-band method\. Power Cycle is a hard reset/);
  });

  it('Resize over 1,000 channels warns of the reboot; channels are saved only when it succeeded', async () => {
    writeRecipes(recipesFile, { resize: ['sh', '-c', 'echo "resize to $1"; [ "$1" -lt 5000 ]', 'sh', '{channels}'] });
    const target = servers[1]!;
    const plan = await call(app, 'actions:plan', { action: 'resize', serverIds: [target.id], params: { channels: '1500' } });
    expect(plan.warnings.join(' ')).toMatch(/reboots the server.*All calls will stop/);
    expect(plan).toMatchObject({ confirm: 'typed', confirmText: '1500' });
    const ok = await call(app, 'actions:run', {
      action: 'resize',
      serverIds: [target.id],
      params: { channels: '1500' },
      confirmation: '1500',
    });
    await runs.finished(ok.id);
    expect((await call(app, 'fleet:get-server', { id: target.id })).channels).toBe(1500);
    const bad = await call(app, 'actions:run', {
      action: 'resize',
      serverIds: [target.id],
      params: { channels: '6000' },
      confirmation: '6000',
    });
    await runs.finished(bad.id);
    expect((await call(app, 'actions:get-run', { id: bad.id })).results[0]).toMatchObject({
      state: 'failed',
      exitCode: 1,
      output: 'resize to 6000\n',
    });
    expect((await call(app, 'fleet:get-server', { id: target.id })).channels).toBe(1500);
    const refused = await app.dispatch('actions:plan', { action: 'resize', serverIds: [target.id], params: { channels: '12; reboot' } });
    expect(refused).toMatchObject({ ok: false, error: { field: 'params.channels' } });
  });

  it('a successful Install Server clears "install recommended"', async () => {
    writeRecipes(recipesFile, { install: ['sh', '-c', 'echo installed'] });
    const target = servers[2]!;
    const edited = await call(app, 'fleet:update-server', {
      id: target.id,
      draft: { ...stripServer(target), config: { ...target.config, uacAuth: !target.config.uacAuth } },
    });
    expect(edited.installRecommended).toBe(true);
    const run = await call(app, 'actions:run', { action: 'install', serverIds: [target.id] });
    await runs.finished(run.id);
    expect((await call(app, 'fleet:get-server', { id: target.id })).installRecommended).toBe(false);
  });
});

describe('the audit log', () => {
  it('is searchable by text, action, server, outcome and time, and exports JSON and CSV', async () => {
    const all = await call(app, 'actions:list-runs', {});
    expect(all.total).toBeGreaterThanOrEqual(8);
    const byText = await call(app, 'actions:list-runs', { text: 'boom on 127.0.0.5' });
    expect(byText.runs).toHaveLength(1);
    expect(byText.runs[0]?.status).toBe('failed');
    expect((await call(app, 'actions:list-runs', { action: 'resize' })).runs.every((r) => r.action === 'resize')).toBe(true);
    expect((await call(app, 'actions:list-runs', { action: 'resize' })).total).toBe(2);
    expect((await call(app, 'actions:list-runs', { serverId: servers[10]!.id, action: 'restart-service' })).total).toBe(1);
    expect((await call(app, 'actions:list-runs', { status: 'cancelled' })).total).toBe(1);
    expect((await call(app, 'actions:list-runs', { from: Date.now() + 60_000 })).total).toBe(0);
    expect((await call(app, 'actions:list-runs', { text: '100%_' })).total).toBe(0);

    const json = await call(app, 'actions:export-runs', { format: 'json', filter: { action: 'resize' } });
    const parsed = JSON.parse(json.text) as { runs: { params: { channels: string }; results: { output: string }[] }[] };
    expect(parsed.runs.map((r) => r.params.channels).sort()).toEqual(['1500', '6000']);
    expect(parsed.runs.flatMap((r) => r.results.map((x) => x.output))).toContain('resize to 6000\n');
    const csv = await call(app, 'actions:export-runs', { format: 'csv', filter: { text: 'boom on 127.0.0.5' } });
    expect(csv.fileName).toMatch(/\.csv$/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^run_id,action,user,account,address,origin/);
    expect(csv.text).toContain('boom on 127.0.0.5\n"');
    expect(csv.text.split('\r\n').filter((l) => l.includes(',restart,oncall,local user,,web,')).length).toBe(20);
  });

  it('keeps large outputs whole and cuts them only in the view', async () => {
    writeRecipes(recipesFile, {
      start: ['sh', '-c', 'i=0; while [ $i -lt 40000 ]; do echo "line $i of a long install log"; i=$((i+1)); done'],
    });
    const run = await call(app, 'actions:run', { action: 'start', serverIds: [servers[4]!.id] });
    await runs.finished(run.id);
    const whole = await call(app, 'actions:get-run', { id: run.id });
    expect(whole.results[0]?.output.split('\n')).toHaveLength(40_001);
    const cut = await call(app, 'actions:get-run', { id: run.id, outputLimit: 1000 });
    expect(cut.results[0]?.output).toHaveLength(1000);
    expect(cut.results[0]?.outputLength).toBe(whole.results[0]?.output.length);
    expect(cut.results[0]?.output.endsWith('line 39999 of a long install log\n')).toBe(true);
  });
});

describe('read-only mode', () => {
  it('refuses to run or cancel an action, but still shows the log', async () => {
    const ro = openHost({ dataDir: tempDir(), readOnly: true, log: () => {} });
    try {
      const result = await ro.dispatch('actions:run', { action: 'restart', serverIds: ['x'] });
      expect(result).toMatchObject({ ok: false, error: { code: 'read-only' } });
      expect(await ro.dispatch('actions:cancel', { runId: 'x' })).toMatchObject({ ok: false, error: { code: 'read-only' } });
      expect(await ro.dispatch('ssh:set-secret', { serverId: 'x', kind: 'password', value: 'p' })).toMatchObject({
        ok: false,
        error: { code: 'read-only' },
      });
      expect(await ro.dispatch('actions:list-runs', {})).toMatchObject({ ok: true, data: { total: 0 } });
    } finally {
      await ro.close();
    }
  });
});

function stripServer(s: Server) {
  const { id: _id, status: _status, installRecommended: _ir, updatePending: _up, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}
