import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Series } from '../../src/contract/monitoring-methods';
import type { VantageStatus } from '../../src/contract/vantage-methods';
import { openHost } from '../../src/host/app';
import { seedKnownHosts } from '../helpers/actions-fixtures';
import { runCli } from '../helpers/cli';
import { call, draft } from '../helpers/fleet-fixtures';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// The CLI against real peers: `switchyard vantage set` turns vantage probes on in the database a
// running `switchyard serve` uses (another process, which notices within seconds); the serve host
// streams real fping over a real sshd on loopback; `vantage status` and `monitor series --source`
// read what it stored, from yet another process.

const LB = '127.0.92.1';
const SWITCH = '127.0.92.11';
const CARRIER = '127.0.92.31';

let dir: string;
let data: string;
let home: string;
let sshd: Sshd;
let serve: ServeProcess | undefined;

const cli = (args: string[]) => runCli([...args, '--data', data], { env: { HOME: home } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-vantage-cli-'));
  data = path.join(dir, 'data');
  home = path.join(dir, 'home');
  mkdirSync(home);
  sshd = await startSshd({ addresses: [LB] });
  seedKnownHosts(data, [LB], sshd.port);
  const app = openHost({ dataDir: data, log: () => {} });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const cluster = await call(app, 'fleet:create-cluster', { name: 'West', description: '' });
  const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key' as const, keyPath: fixture('user_ed25519'), jumpHost: null };
  await call(app, 'fleet:create-server', {
    ...draft(zone.id, { ip: LB, alias: 'lb-west-1', type: 'dispatcher', clusterId: cluster.id, channels: 100, cps: 10 }),
    ssh,
  });
  await call(app, 'fleet:create-server', {
    ...draft(zone.id, { ip: SWITCH, alias: 'sw-west-1', type: 'switch', clusterId: cluster.id, channels: 100, cps: 10 }),
    ssh,
  });
  await app.close();
}, 30_000);

afterAll(async () => {
  await serve?.stop();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('switchyard vantage', () => {
  it('refuses a bad target naming the flag, and saves nothing', async () => {
    const bad = await cli(['vantage', 'set', '--on', '--add-target', '$(reboot)=Evil']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Extra target 1 \(Evil\): The target "\$\(reboot\)" contains "\$"/);
    const shown = await cli(['vantage', 'status']);
    expect(shown.stdout).toMatch(/^Vantage probes are off\./);
  }, 60_000);

  it('set turns it on for a running serve; status and monitor series --source read the real samples', async () => {
    serve = await startServe(['--data', data], { HOME: home });
    const set = await cli(['vantage', 'set', '--on', '--interval', '1', '--add-target', `${CARRIER}=Carrier A`]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      "Vantage probes on: every dispatcher probes their cluster's switches, the RTP servers, 1 added address(es) every 1 s.",
    );

    const status = await until(
      'serve streams from lb-west-1 to both targets',
      async () => {
        const out = await cli(['vantage', 'status', '--json']);
        const parsed = JSON.parse(out.stdout) as VantageStatus;
        const lb = parsed.sources[0];
        return lb?.state === 'streaming' && lb.targets.length === 2 && lb.targets.every((t) => t.last !== null) ? parsed : null;
      },
      60_000,
    );
    // Written by the serve process; this one-shot CLI runs no stream of its own.
    expect(status.sources[0]).toMatchObject({ alias: 'lb-west-1', live: false, sipTool: 'sipsak', sipSender: 'sipsak' });

    const text = await cli(['vantage', 'status']);
    expect(text.stdout).toMatch(/lb-west-1 \(127\.0\.92\.1\): streaming since .* \(as the host last recorded\)/);
    expect(text.stdout).toContain('SIP OPTIONS sender: sipsak: one OPTIONS per period over UDP to 1 target(s).');
    expect(text.stdout).toMatch(/→ Carrier A\s+127\.0\.92\.31\s+address\s+ICMP \d+(\.\d+)? ms at .*; SIP —\n/);
    // The switch gets OPTIONS on its UDP port too; nothing listens there, so they are lost.
    expect(text.stdout).toMatch(/→ sw-west-1\s+127\.0\.92\.11\s+switch\s+ICMP \d+(\.\d+)? ms at .*; SIP :5060 (lost at|no sample yet)/);

    const count = (points: readonly { count: number }[]) => points.reduce((n, p) => n + p.count, 0);
    const icmpSeries = async (args: readonly string[]) => {
      const out = await cli(['monitor', 'series', 'sw-west-1', '--kind', 'icmp', ...args, '--from', '-5m', '--json']);
      expect(out.code).toBe(0);
      return count((JSON.parse(out.stdout) as Series).points.icmp ?? []);
    };
    // serve also probes the switch from this workstation (every 5 s): a separate series, from
    // 'local'. The vantage path is probed every second since it was turned on, so it soon holds
    // more samples than the local one (which began earlier, when serve started).
    await until(
      'the vantage series to outgrow the local one',
      async () => {
        const [fromLb, fromHere] = [await icmpSeries(['--source', 'lb-west-1']), await icmpSeries([])];
        return fromLb > 0 && fromLb > fromHere;
      },
      60_000,
    );
    const fromText = await cli(['monitor', 'series', 'sw-west-1', '--kind', 'icmp', '--source', 'lb-west-1', '--from', '-5m']);
    expect(fromText.stdout).toMatch(/^sw-west-1 \(127\.0\.92\.11\) from lb-west-1, /);
    const unknown = await cli(['monitor', 'series', 'sw-west-1', '--source', 'lb-nowhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--source/);
    // Each CLI run starts Node and opens the database: about a second idle, several on a loaded machine.
  }, 150_000);
});
