import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../src/contract/methods';
import type { DeployRun } from '../../src/contract/platform-methods';
import { openHost, type HostApp } from '../../src/host/app';
import type { Caller } from '../../src/host/caller';
import { call, draft } from '../helpers/fleet-fixtures';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

// Deploying against the real test sshd: the balance check refuses first, the unknown host key is
// put to the operator (answered here as the UI would), the Install recipe runs a test script on
// the server, and the server joins the fleet only when that script exits 0.

let sshd: Sshd;
let home: string;
const tempDir = useTempDirs();
let app: HostApp;
let prompts: string[];

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  home = mkdtempSync(path.join(os.tmpdir(), 'switchyard-deploy-home-'));
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  app = openHost({ dataDir: tempDir(), clock: () => Date.UTC(2026, 10, 25, 12), log: () => {}, sshHomeDir: home });
  prompts = [];
  // The operator: checks the fingerprint pushed to the UI and accepts it.
  app.events.on((name, payload) => {
    if (name !== 'ssh:host-key-prompt') return;
    const prompt = payload as { promptId: string; fingerprint: string };
    prompts.push(prompt.fingerprint);
    void app.dispatch('ssh:answer-host-key', { promptId: prompt.promptId, accept: true });
  });
});
afterEach(async () => {
  await app.close();
});

function script(name: string, body: string): string {
  const file = path.join(sshd.workDir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function zoneId(): Promise<string> {
  return (await call(app, 'fleet:create-zone', { name: 'EU', description: '' })).id;
}

function deployDraft(zone: string, ip = '127.0.0.1') {
  return draft(zone, {
    ip,
    alias: 'new-sw',
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  });
}

async function settled(deployId: string): Promise<DeployRun> {
  for (let i = 0; i < 400; i++) {
    const run = await call(app, 'platform:deploy-status', { deployId });
    if (run.state === 'done' || run.state === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the deployment did not finish');
}

describe('deploying a server', () => {
  it('is refused with the exact shortfall, then succeeds once the balance covers it', async () => {
    const zone = await zoneId();
    await call(app, 'fleet:create-server', draft(zone, { ip: '127.0.30.1', alias: 'existing' }));
    await call(app, 'settings:update', { availableBalanceCents: 3999 });
    const installScript = script('install-ok.sh', 'echo "installing SIP stack"; echo "done" >&2; exit 0');

    const refused = await app.dispatch('platform:deploy', { draft: deployDraft(zone), installParams: { installScript } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.field).toBe('availableBalance');
      expect(refused.error.message).toContain('$40.00');
      expect(refused.error.message).toContain('$0.01 short');
    }
    expect(prompts).toEqual([]);

    await call(app, 'settings:update', { availableBalanceCents: 4000 });
    const updates: string[] = [];
    app.events.on((name, payload) => {
      if (name === 'platform:deploy-update') updates.push((payload as { state: string }).state);
    });
    const started = await call(app, 'platform:deploy', { draft: deployDraft(zone), installParams: { installScript } });
    expect(started.balance).toMatchObject({ ok: true, requiredCents: 4000 });
    const run = await settled(started.deployId);
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ state: 'done', exitCode: 0 });
    expect(run.output).toContain('installing SIP stack');
    expect(run.output).toContain('joined the fleet');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatch(/^SHA256:/);
    expect(updates).toEqual(expect.arrayContaining(['connecting', 'installing', 'done']));
    const servers = await call(app, 'fleet:list-servers', {});
    expect(servers.map((s) => s.alias).sort()).toEqual(['existing', 'new-sw']);
    expect(servers.find((s) => s.alias === 'new-sw')).toMatchObject({ id: run.serverId, ip: '127.0.0.1', installRecommended: false });

    // In the audit log like every other action: who, when, what, the output and the outcome.
    const logged = await call(app, 'actions:get-run', { id: started.deployId });
    expect(logged).toMatchObject({
      action: 'deploy',
      label: 'Deploy Server',
      status: 'succeeded',
      origin: 'web',
      params: { installScript },
    });
    expect(logged.user).not.toBe('');
    expect(logged.startedAt).toBe(Date.UTC(2026, 10, 25, 12));
    expect(logged.endedAt).not.toBeNull();
    expect(logged.results).toEqual([
      expect.objectContaining({
        serverId: run.serverId,
        alias: 'new-sw',
        ip: '127.0.0.1',
        state: 'done',
        exitCode: 0,
        command: expect.stringContaining(installScript),
      }),
    ]);
    expect(logged.results[0]?.output).toContain('installing SIP stack');
    // Found by searching the output, by the server, and by the kind; and exported.
    expect((await call(app, 'actions:list-runs', { text: 'SIP stack', limit: 10 })).runs.map((r) => r.id)).toEqual([started.deployId]);
    expect((await call(app, 'actions:list-runs', { serverId: run.serverId!, limit: 10 })).total).toBe(1);
    expect((await call(app, 'actions:list-runs', { action: 'deploy', limit: 10 })).total).toBe(1);
    const csv = await call(app, 'actions:export-runs', { format: 'csv', filter: { action: 'deploy', limit: 10 } });
    expect(csv.text).toContain('new-sw');
  });

  it('does not add the server when the install fails, and says why', async () => {
    const zone = await zoneId();
    await call(app, 'settings:update', { availableBalanceCents: 2000 });
    const installScript = script('install-bad.sh', 'echo "disk full" >&2; exit 3');
    const started = await call(app, 'platform:deploy', { draft: deployDraft(zone), installParams: { installScript } });
    const run = await settled(started.deployId);
    expect(run).toMatchObject({ state: 'failed', exitCode: 3, serverId: null });
    expect(run.output).toContain('disk full');
    expect(run.error).toContain('exited with code 3');
    expect(await call(app, 'fleet:list-servers', {})).toEqual([]);
    const logged = await call(app, 'actions:get-run', { id: started.deployId });
    expect(logged).toMatchObject({ action: 'deploy', status: 'failed' });
    expect(logged.results[0]).toMatchObject({
      alias: 'new-sw',
      ip: '127.0.0.1',
      state: 'failed',
      exitCode: 3,
      error: expect.stringContaining('exited with code 3'),
    });
    expect(logged.results[0]?.output).toContain('disk full');
  });

  it("attributes a team account's deployment to it in the actions log and the audit log; an operator is refused, on record", async () => {
    const admin: Caller = { account: 'ana', role: 'admin', address: '192.0.2.10' };
    const operator: Caller = { account: 'olek', role: 'operator', address: '198.51.100.7' };
    const zone = await zoneId();
    await call(app, 'settings:update', { availableBalanceCents: 2000 });
    const installScript = script('install-team.sh', 'echo "installed for the team"; exit 0');
    const request = { draft: deployDraft(zone), installParams: { installScript } };

    const refused = await app.dispatch('platform:deploy', request, operator);
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    expect(prompts).toEqual([]);

    const answer = await app.dispatch('platform:deploy', request, admin);
    if (!answer.ok) throw new Error(answer.error.message);
    const { deployId } = answer.data as OutputOf<'platform:deploy'>;
    const run = await settled(deployId);
    expect(run).toMatchObject({ state: 'done', exitCode: 0 });

    // The actions log: the run names the account and the address it came from, as action runs do.
    const logged = await call(app, 'actions:get-run', { id: deployId });
    expect(logged).toMatchObject({ action: 'deploy', status: 'succeeded', account: 'ana', address: '192.0.2.10' });
    expect((await call(app, 'actions:list-runs', { text: 'ana', limit: 10 })).runs.map((r) => r.id)).toEqual([deployId]);
    const csv = await call(app, 'actions:export-runs', { format: 'csv', filter: { action: 'deploy', limit: 10 } });
    expect(csv.text).toMatch(/,ana,192\.0\.2\.10,/);

    // The audit log: one line for the deployment by ana, naming the server and the run; the refusal by olek.
    const byAna = (await call(app, 'audit:list', { account: 'ana' })).entries;
    expect(byAna).toEqual([
      expect.objectContaining({
        kind: 'action-run',
        address: '192.0.2.10',
        detail: `Deploy Server on new-sw (127.0.0.1), run ${deployId}`,
      }),
    ]);
    const byOlek = (await call(app, 'audit:list', { account: 'olek' })).entries;
    expect(byOlek).toEqual([
      expect.objectContaining({ kind: 'refused', address: '198.51.100.7', detail: expect.stringContaining('platform:deploy') }),
    ]);
  });

  it('refuses bad input before connecting: a taken IP, a missing install parameter', async () => {
    const zone = await zoneId();
    await call(app, 'settings:update', { availableBalanceCents: 100_000 });
    await call(app, 'fleet:create-server', draft(zone, { ip: '127.0.0.1', alias: 'taken' }));
    const taken = await app.dispatch('platform:deploy', { draft: deployDraft(zone), installParams: { installScript: '/bin/true' } });
    expect(taken.ok ? null : taken.error.field).toBe('ip');
    const noScript = await app.dispatch('platform:deploy', { draft: deployDraft(zone, '127.0.0.2'), installParams: {} });
    expect(noScript.ok ? null : noScript.error.field).toBe('params.installScript');
    expect(prompts).toEqual([]);
  });
});
