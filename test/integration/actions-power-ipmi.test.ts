import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { openHost, type HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { addServers, seedKnownHosts, watchRuns } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { BMC_PASSWORD, BMC_USER, freeUdpPort, startIpmiSim, type IpmiSim } from '../helpers/ipmi-sim';
import { startSshd, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// Out-of-band power against a real BMC: OpenIPMI's ipmi_sim on loopback, driven by the real
// ipmitool that Switchyard runs from this workstation. The servers are the real test sshd, which
// must see no session at all during a Power Cycle or an OS Cycle: they never go over SSH.

let sshd: Sshd;
let bmc: IpmiSim;
let app: HostApp;
let dataDir: string;
let servers: Server[];
let runs: ReturnType<typeof watchRuns>;

const ipmi = (over: Record<string, unknown> = {}) => ({
  method: 'ipmi' as const,
  host: bmc.host,
  port: bmc.port,
  user: BMC_USER,
  cipherSuite: 3 as const,
  ...over,
});

beforeAll(async () => {
  // One after the other: each is assigned as soon as it runs, so afterAll stops it even if the next fails.
  sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3'] });
  bmc = await startIpmiSim({ shutdownMs: 1_500 });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-power-'));
  const recipesFile = path.join(dataDir, 'recipes.json');
  // The shipped book with shorter waits, so a hung shutdown and a silent BMC fail within seconds.
  const book = defaultRecipeBook();
  const quick = { callTimeoutSec: 3, waitSec: 6, pollSec: 1 };
  writeFileSync(
    recipesFile,
    JSON.stringify({ ...book, recipes: book.recipes.map((r) => (r.outOfBand ? { ...r, outOfBand: { ...r.outOfBand, ...quick } } : r)) }),
  );
  seedKnownHosts(dataDir, ['127.0.0.2', '127.0.0.3'], sshd.port);
  app = openHost({ dataDir, log: () => {}, actions: { recipesFile, throttleMs: 20, user: 'oncall' } });
  runs = watchRuns(app);
  servers = await addServers(app, ['127.0.0.2', '127.0.0.3'], sshd.port);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([sshd?.stop(), bmc?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sessions = () => (sshd.logs().match(/Accepted publickey/g) ?? []).length;

async function runToEnd(action: 'power-cycle' | 'os-cycle', serverId: string) {
  const run = await call(app, 'actions:run', { action, serverIds: [serverId] });
  await runs.finished(run.id, 60_000);
  return call(app, 'actions:get-run', { id: run.id });
}

describe('out-of-band power through ipmi_sim', () => {
  it('keeps the method in SQLite and the password only in the secret store, and reads the power state', async () => {
    const target = servers[0]!;
    const set = await call(app, 'power:set-method', { serverId: target.id, method: ipmi() });
    expect(set).toMatchObject({ method: { method: 'ipmi', port: bmc.port, cipherSuite: 3 }, passwordSet: false });
    const refused = await app.dispatch('power:status', { serverId: target.id });
    expect(refused).toMatchObject({ ok: false, error: { field: 'password' } });
    expect(await call(app, 'power:set-password', { serverId: target.id, password: BMC_PASSWORD })).toMatchObject({ passwordSet: true });

    const status = await call(app, 'power:status', { serverId: target.id });
    expect(status).toMatchObject({ state: 'on', error: null });
    expect(status.output).toContain('Chassis Power is on');
    expect(status.command).toBe(`ipmitool -I lanplus -H 127.0.0.1 -p ${bmc.port} -U admin -E -C 3 chassis power status`);
    expect(bmc.calls()).toContain('get power');
  });

  it('Power Cycle is sent to the BMC from this workstation, seen by the simulator, logged, and never goes over SSH', async () => {
    const target = servers[0]!;
    const before = sessions();
    const plan = await call(app, 'actions:plan', { action: 'power-cycle', serverIds: [target.id] });
    expect(plan).toMatchObject({ runsOn: 'out-of-band', label: 'Power Cycle' });
    const logged = await runToEnd('power-cycle', target.id);
    expect(logged).toMatchObject({ status: 'succeeded', user: 'oncall', action: 'power-cycle' });
    expect(logged.results[0]).toMatchObject({ state: 'done', exitCode: 0, command: expect.stringContaining('chassis power cycle') });
    expect(logged.results[0]?.output).toContain('Chassis Power Control: Cycle');
    // The simulator switched the power off, then on again.
    await until('the simulator to power the chassis off and on', () => {
      const calls = bmc.calls();
      const off = calls.lastIndexOf('set power 0');
      return off >= 0 && calls.lastIndexOf('set power 1') > off;
    });
    expect(bmc.power()).toBe('on');
    expect(sessions()).toBe(before);
  });

  it('OS Cycle asks the operating system to shut down, waits for the power to go off, then switches it on', async () => {
    const target = servers[0]!;
    const before = sessions();
    bmc.calls();
    const logged = await runToEnd('os-cycle', target.id);
    expect(logged.status).toBe('succeeded');
    const calls = bmc.calls();
    const soft = calls.lastIndexOf('set shutdown 1');
    const on = calls.lastIndexOf('set power 1');
    expect(soft).toBeGreaterThanOrEqual(0);
    expect(on).toBeGreaterThan(soft);
    // The power was read as off between the two: the shutdown finished before the power-on.
    expect(logged.results[0]?.output).toMatch(
      /chassis power soft[\s\S]*Waiting until the BMC reports the power off[\s\S]*Chassis Power is off[\s\S]*chassis power on/,
    );
    expect(bmc.power()).toBe('on');
    expect(sessions()).toBe(before);
  });

  it('OS Cycle on a server whose operating system does not shut down stops there: it is never switched off hard', async () => {
    const target = servers[0]!;
    bmc.ignoreSoftOff(true);
    try {
      const start = bmc.calls().length;
      const logged = await runToEnd('os-cycle', target.id);
      expect(logged.status).toBe('failed');
      expect(logged.results[0]?.error).toMatch(
        /the power was still on 6 s after the request, so the run stopped here and the server was not switched on again\. The operating system did not shut down: use Power Cycle/,
      );
      expect(
        bmc
          .calls()
          .slice(start)
          .filter((c) => c.startsWith('set power')),
      ).toEqual([]);
      expect(bmc.power()).toBe('on');
    } finally {
      bmc.ignoreSoftOff(false);
    }
  });

  it("a wrong IPMI password is refused by the BMC with ipmitool's own message, naming the server and the field; nothing is changed", async () => {
    const target = servers[0]!;
    await call(app, 'power:set-password', { serverId: target.id, password: 'not the password' });
    try {
      const start = bmc.calls().length;
      const logged = await runToEnd('power-cycle', target.id);
      expect(logged.status).toBe('failed');
      const result = logged.results[0]!;
      expect(result.exitCode).toBe(1);
      expect(result.error).toMatch(
        new RegExp(
          `^sw-01 \\(127\\.0\\.0\\.2\\): the BMC at 127\\.0\\.0\\.1:${bmc.port} refused the session: the IPMI user "admin" or its password is wrong`,
        ),
      );
      expect(result.output).toContain('Unable to establish IPMI v2 / RMCP+ session');
      // The audit log says what ran, without the password.
      expect(result.command).toContain('-U admin -E');
      expect(
        bmc
          .calls()
          .slice(start)
          .filter((c) => c.startsWith('set')),
      ).toEqual([]);
      const status = await call(app, 'power:status', { serverId: target.id });
      expect(status).toMatchObject({ state: 'unknown', field: 'outOfBand.password' });
    } finally {
      await call(app, 'power:set-password', { serverId: target.id, password: BMC_PASSWORD });
    }
  });

  it('a BMC that does not answer is cut at the timeout, naming the address field', async () => {
    const target = servers[1]!;
    const silent = await freeUdpPort();
    await call(app, 'power:set-method', { serverId: target.id, method: ipmi({ port: silent }) });
    await call(app, 'power:set-password', { serverId: target.id, password: BMC_PASSWORD });
    const started = Date.now();
    const logged = await runToEnd('power-cycle', target.id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(logged.status).toBe('failed');
    expect(logged.results[0]?.error).toMatch(
      new RegExp(
        `^sw-02 \\(127\\.0\\.0\\.3\\): no answer from the BMC at 127\\.0\\.0\\.1:${silent} within 3 s; ipmitool was stopped and nothing was changed`,
      ),
    );
    expect(logged.results[0]?.command).toContain(`-p ${silent}`);
  });

  it("an operator's command template runs as given, with no shell, against the same BMC", async () => {
    const target = servers[1]!;
    // ipmitool's own `-f FILE`: the operator's CLI keeps its credentials where it likes.
    const passwordFile = path.join(bmc.dir, 'bmc-password');
    writeFileSync(passwordFile, BMC_PASSWORD, { mode: 0o600 });
    const base = [
      'ipmitool',
      '-I',
      'lanplus',
      '-C',
      '3',
      '-H',
      bmc.host,
      '-p',
      String(bmc.port),
      '-U',
      BMC_USER,
      '-f',
      passwordFile,
      'chassis',
      'power',
    ];
    const refused = await app.dispatch('power:set-method', {
      serverId: target.id,
      method: {
        method: 'command',
        status: ['sh', '-c', 'echo on'],
        on: [...base, 'on'],
        soft: [...base, 'soft'],
        cycle: [...base, 'cycle'],
      },
    });
    expect(refused).toMatchObject({ ok: false, error: { field: 'method.status.0' } });
    await call(app, 'power:set-method', {
      serverId: target.id,
      method: { method: 'command', status: [...base, 'status'], on: [...base, 'on'], soft: [...base, 'soft'], cycle: [...base, 'cycle'] },
    });
    expect((await call(app, 'power:get-method', { serverId: target.id })).passwordSet).toBe(false);
    expect(await call(app, 'power:status', { serverId: target.id })).toMatchObject({ state: 'on' });
    const start = bmc.calls().length;
    const logged = await runToEnd('power-cycle', target.id);
    expect(logged.status).toBe('succeeded');
    await until('the cycle to reach the simulator', () => bmc.calls().slice(start).includes('set power 0'));
  });

  it('keeps no password in the database or the audit log', async () => {
    const exported = await call(app, 'actions:export-runs', { format: 'json' });
    expect(exported.text).not.toContain(BMC_PASSWORD);
    app.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path.join(dataDir, 'switchyard.db')).includes(Buffer.from(BMC_PASSWORD))).toBe(false);
  });

  it('without an out-of-band method both cycles are refused before anything runs, saying why', async () => {
    const target = servers[1]!;
    await call(app, 'power:set-method', { serverId: target.id, method: null });
    const total = (await call(app, 'actions:list-runs', {})).total;
    const os = await app.dispatch('actions:run', { action: 'os-cycle', serverIds: [target.id] });
    expect(os).toMatchObject({ ok: false, error: { field: 'outOfBand' } });
    if (!os.ok)
      expect(os.error.message).toMatch(
        /sw-02 \(127\.0\.0\.3\) has no out-of-band method\. OS Cycle .* would stay off until someone pressed its power button/,
      );
    const power = await app.dispatch('actions:run', { action: 'power-cycle', serverIds: [target.id] });
    expect(power).toMatchObject({ ok: false, error: { field: 'outOfBand' } });
    expect((await call(app, 'actions:list-runs', {})).total).toBe(total);
    const availability = await call(app, 'actions:availability', { serverIds: [target.id] });
    expect(availability.actions.find((a) => a.action === 'power-cycle')).toMatchObject({
      available: false,
      fix: { setting: 'server-out-of-band', serverId: target.id },
    });
  });
});
