import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { openHost, type HostApp } from '../../src/host/app';
import { addServers, seedKnownHosts, watchRuns } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { startSshd, type Sshd } from '../helpers/sshd';
import { makeTestCa } from '../helpers/test-certs';
import { until } from '../helpers/until';

// The reference's Server Actions Menu over the real test sshd, with the SHIPPED recipe book:
// Install Server runs the install command (a script's path, or an https URL the recipe downloads
// with the real curl from a loopback https server), Restart Server reboots, Restart SIP service
// restarts kamailio, Resize Capacity is the one path for channels. The servers are this machine,
// so `systemctl` is a stand-in first on the session's PATH (sshd's SetEnv): the real one would
// reboot the machine running the tests, and cannot run here anyway (PID 1 of the test machine is
// not systemd: `systemctl` answers "offline" / "System has not been booted with systemd"). It
// records its arguments; "reboot" also ends the SSH session the way a reboot takes sshd down.

const ADDRESSES = ['127.0.0.2', '127.0.0.3'];
/** A host not in the fleet yet, for Deploy Server. */
const DEPLOYED = '127.0.0.4';
const T0 = Date.UTC(2026, 5, 1, 14, 0);
let now = T0;
let root: string;
let sshd: Sshd;
let app: HostApp;
let servers: Server[];
let runs: ReturnType<typeof watchRuns>;
let https: HttpsServer;
let httpsUrl: string;
let stubs: string;

const systemctlStub = (log: string) => `#!/bin/sh
echo "systemctl $*" >> '${log}'
echo "systemctl $*"
if [ "$1" = reboot ]; then
  # As a reboot does: sshd goes, and the session with it (our own sshd session process ends).
  p=$$; while [ "$p" -gt 1 ]; do case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; exit 0;; esac; p=$(cut -d" " -f4 /proc/$p/stat); done
fi
`;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-reference-'));
  chmodSync(root, 0o755);
  stubs = path.join(root, 'bin');
  mkdirSync(stubs, { mode: 0o755 });
  writeFileSync(path.join(stubs, 'systemctl'), systemctlStub(path.join(root, 'systemctl.log')), { mode: 0o755 });
  writeFileSync(path.join(root, 'systemctl.log'), '', { mode: 0o666 });
  chmodSync(path.join(root, 'systemctl.log'), 0o666);
  // An https server on loopback with a certificate from a test CA, which curl on the "server"
  // trusts through CURL_CA_BUNDLE (set by sshd for the session, as a provisioning image would).
  const ca = makeTestCa(mkdtempSync(path.join(root, 'ca-')));
  const leaf = ca.leaf({ name: 'images', cn: '127.0.0.1', sans: ['IP:127.0.0.1'], toDays: 2 });
  const caFile = path.join(root, 'ca.pem');
  writeFileSync(caFile, ca.caPem, { mode: 0o644 });
  https = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    if (req.url === '/install.sh') {
      res.writeHead(200, { 'content-type': 'text/x-shellscript' });
      res.end('echo "installing from the image server as $(id -un)"\necho "install done"\n');
    } else {
      res.writeHead(404).end('no such image\n');
    }
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;

  sshd = await startSshd({
    addresses: [...ADDRESSES, DEPLOYED],
    extraConfig: [`SetEnv PATH=${stubs}:/usr/bin:/bin CURL_CA_BUNDLE=${caFile}`],
  });
  const dataDir = path.join(root, 'data');
  seedKnownHosts(dataDir, [...ADDRESSES, DEPLOYED], sshd.port);
  app = openHost({ dataDir, clock: () => now, log: () => {}, actions: { throttleMs: 20, user: 'oncall' } });
  runs = watchRuns(app);
  servers = await addServers(app, ADDRESSES, sshd.port, { channels: 200 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sshd?.stop();
  await new Promise<void>((resolve) => (https ? https.close(() => resolve()) : resolve()));
  if (root) rmSync(root, { recursive: true, force: true });
});

const script = (name: string, body: string): string => {
  const file = path.join(sshd.workDir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  chmodSync(file, 0o755);
  return file;
};

async function runToEnd(input: Parameters<typeof call<'actions:run'>>[2]) {
  const run = await call(app, 'actions:run', input);
  await runs.finished(run.id, 30_000);
  return call(app, 'actions:get-run', { id: run.id });
}

const stripServer = (s: Server) => {
  const { id: _id, status: _status, installRecommended: _ir, updatePending: _up, createdAt: _c, updatedAt: _u, ...draft } = s;
  return draft;
};

describe('Install Server from the menu', () => {
  it('refuses install commands that are not a path or an https URL, naming the field, and stores nothing', async () => {
    for (const command of ['install.sh', 'http://127.0.0.1/install.sh', '/opt/install.sh --force', 'https://u:p@example.net/i.sh', '']) {
      const result = await app.dispatch('actions:set-install-command', { serverId: null, command });
      expect(result, command).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'command' } });
    }
    const own = await app.dispatch('actions:set-install-command', { serverId: servers[0]!.id, command: 'curl x|sh' });
    expect(own).toMatchObject({ ok: false, error: { field: 'command' } });
    if (!own.ok) expect(own.error.message).toMatch(/^The install command of sw-01 \(127\.0\.0\.2\) "curl x\|sh" is neither/);
    expect(await call(app, 'actions:install-command', { serverIds: [servers[0]!.id] })).toMatchObject({ fleet: null, common: null });
    // With none set, the menu says why and where to set it.
    const availability = await call(app, 'actions:availability', { serverIds: [servers[0]!.id] });
    expect(availability.actions.find((a) => a.action === 'install')).toMatchObject({
      available: false,
      fix: { setting: 'fleet-install-command' },
    });
  });

  it('runs the fleet\'s command, clears "Install recommended" only when it succeeds, and logs what ran', async () => {
    const target = servers[0]!;
    const ok = script('install-ok.sh', 'echo "installing SIP stack on $(hostname)"; echo "done" >&2');
    const bad = script('install-bad.sh', 'echo "disk full" >&2; exit 3');
    await call(app, 'actions:set-install-command', { serverId: null, command: bad });
    const edited = await call(app, 'fleet:update-server', {
      id: target.id,
      draft: { ...stripServer(target), config: { ...target.config, uacAuth: !target.config.uacAuth } },
    });
    expect(edited.installRecommended).toBe(true);

    now += 1_000;
    const failed = await runToEnd({ action: 'install', serverIds: [target.id] });
    expect(failed.results[0]).toMatchObject({ state: 'failed', exitCode: 3, output: 'disk full\n' });
    expect(failed.results[0]?.command).toContain(`switchyard-install ${bad}`);
    expect((await call(app, 'fleet:get-server', { id: target.id })).installRecommended).toBe(true);

    // A server's own command wins over the fleet's.
    await call(app, 'actions:set-install-command', { serverId: target.id, command: ok });
    const view = await call(app, 'actions:install-command', { serverIds: [target.id, servers[1]!.id] });
    expect(view.servers.map((s) => [s.source, s.effective])).toEqual([
      ['server', ok],
      ['fleet', bad],
    ]);
    expect(view.common).toBeNull();
    now += 1_000;
    const done = await runToEnd({ action: 'install', serverIds: [target.id] });
    expect(done).toMatchObject({ status: 'succeeded', user: 'oncall' });
    expect(done.results[0]?.output).toMatch(/installing SIP stack/);
    expect((await call(app, 'fleet:get-server', { id: target.id })).installRecommended).toBe(false);
  });

  it('a Server Config change made while the install runs keeps "Install recommended": it was not part of that install', async () => {
    const target = servers[0]!;
    const marker = path.join(sshd.workDir, 'go-on');
    const slow = script('install-slow.sh', `echo "installing"; while [ ! -f '${marker}' ]; do sleep 0.05; done; echo "installed"`);
    now += 1_000;
    const run = await call(app, 'actions:run', { action: 'install', serverIds: [target.id], params: { installScript: slow } });
    await until('the install to start', () =>
      runs.updates.some((u) => u.runId === run.id && u.output.some((o) => o.chunk.includes('installing'))),
    );
    now += 1_000;
    const current = await call(app, 'fleet:get-server', { id: target.id });
    const edited = await call(app, 'fleet:update-server', {
      id: target.id,
      draft: { ...stripServer(current), config: { ...current.config, tcpSipTrace: !current.config.tcpSipTrace } },
    });
    expect(edited.installRecommended).toBe(true);
    writeFileSync(marker, '');
    await runs.finished(run.id);
    expect((await call(app, 'actions:get-run', { id: run.id })).status).toBe('succeeded');
    expect((await call(app, 'fleet:get-server', { id: target.id })).installRecommended).toBe(true);
  });

  it('an install command typed in the dialog applies to this run only, and is checked like a saved one', async () => {
    const target = servers[1]!;
    const typed = script('install-typed.sh', 'echo typed');
    const total = (await call(app, 'actions:list-runs', {})).total;
    const refused = await app.dispatch('actions:plan', {
      action: 'install',
      serverIds: [target.id],
      params: { installScript: 'reinstall now' },
    });
    expect(refused).toMatchObject({ ok: false, error: { field: 'params.installScript' } });
    const run = await runToEnd({ action: 'install', serverIds: [target.id], params: { installScript: typed } });
    expect(run.results[0]).toMatchObject({ state: 'done', output: 'typed\n' });
    expect(run.params).toEqual({ installScript: typed });
    expect((await call(app, 'actions:list-runs', {})).total).toBe(total + 1);
  });

  it('an https URL is downloaded on the server by the shipped recipe (real curl, https only) and run with sh', async () => {
    const target = servers[1]!;
    const run = await runToEnd({ action: 'install', serverIds: [target.id], params: { installScript: `${httpsUrl}/install.sh` } });
    expect(run.status).toBe('succeeded');
    expect(run.results[0]?.output).toMatch(
      /downloaded https:\/\/127\.0\.0\.1:\d+\/install\.sh \(\d+ bytes, sha256 [0-9a-f]{64}\); running it with sh/,
    );
    expect(run.results[0]?.output).toContain('installing from the image server as switchyard-test');
    const missing = await runToEnd({ action: 'install', serverIds: [target.id], params: { installScript: `${httpsUrl}/gone.sh` } });
    expect(missing.results[0]).toMatchObject({ state: 'failed', exitCode: 22 });
    expect(missing.results[0]?.output).toMatch(/404/);
  });
});

describe('Deploy Server', () => {
  it("runs the fleet's install command when the wizard gives none", async () => {
    const fleetCommand = script('install-fleet.sh', 'echo "fleet image installed"');
    await call(app, 'actions:set-install-command', { serverId: null, command: fleetCommand });
    await call(app, 'settings:update', { availableBalanceCents: 100_000 });
    const zoneId = servers[0]!.zoneId;
    const { deployId } = await call(app, 'platform:deploy', {
      draft: { ...stripServer(servers[0]!), ip: DEPLOYED, alias: 'sw-new', channels: 100 },
      installParams: {},
    });
    const run = await until('the deployment to end', async () => {
      const status = await call(app, 'platform:deploy-status', { deployId });
      return status.state === 'done' || status.state === 'failed' ? status : null;
    });
    expect(run).toMatchObject({ state: 'done', exitCode: 0 });
    expect(run.output).toContain('fleet image installed');
    const logged = await call(app, 'actions:get-run', { id: deployId });
    expect(logged.params).toEqual({ installScript: fleetCommand });
    expect((await call(app, 'fleet:list-servers', {})).find((s) => s.ip === DEPLOYED)?.zoneId).toBe(zoneId);
  });
});

describe('Restart Server and Restart SIP service', () => {
  it('Restart Server reboots with the OS (systemctl reboot); the session ending with it is success', async () => {
    writeFileSync(path.join(root, 'systemctl.log'), '');
    const run = await runToEnd({ action: 'restart', serverIds: [servers[0]!.id] });
    expect(run.status).toBe('succeeded');
    expect(run.results[0]).toMatchObject({ state: 'done', command: 'systemctl reboot' });
    expect(run.results[0]?.output).toMatch(/The SSH connection closed as the server went down, as a reboot does/);
    expect(readFileSync(path.join(root, 'systemctl.log'), 'utf8')).toBe('systemctl reboot\n');
  });

  it('Restart SIP service restarts kamailio alone', async () => {
    writeFileSync(path.join(root, 'systemctl.log'), '');
    const run = await runToEnd({ action: 'restart-service', serverIds: [servers[1]!.id] });
    expect(run).toMatchObject({ status: 'succeeded', label: 'Restart SIP service' });
    expect(readFileSync(path.join(root, 'systemctl.log'), 'utf8')).toBe('systemctl restart -- kamailio\n');
  });
});

describe('one path for channels: Resize Capacity', () => {
  it('saving the server with other channels is refused, naming the field', async () => {
    const target = await call(app, 'fleet:get-server', { id: servers[1]!.id });
    const result = await app.dispatch('fleet:update-server', { id: target.id, draft: { ...stripServer(target), channels: 1500 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'channels' } });
    if (!result.ok) expect(result.error.message).toMatch(/use Resize Capacity/);
    expect((await call(app, 'fleet:get-server', { id: target.id })).channels).toBe(200);
  });

  it('refuses 0, a fraction and a swapped program naming the server and the field; nothing runs', async () => {
    const total = (await call(app, 'actions:list-runs', {})).total;
    for (const [params, field] of [
      [{ channels: '0' }, 'params.channels'],
      [{ channels: '1.5' }, 'params.channels'],
      [{ channels: '1500', resizeScript: '/usr/bin/curl' }, 'params.resizeScript'],
    ] as const) {
      const result = await app.dispatch('actions:run', { action: 'resize', serverIds: [servers[1]!.id], params, confirmation: '1500' });
      expect(result).toMatchObject({ ok: false, error: { field } });
      if (!result.ok && field === 'params.channels')
        expect(result.error.message).toMatch(/Resize Capacity on sw-02 \(127\.0\.0\.3\): New channel count/);
    }
    expect((await call(app, 'actions:list-runs', {})).total).toBe(total);
  });

  it('a resize over 1,000 needs the count typed back; once done it is pending 15 minutes, and the limits count the old size until then', async () => {
    const target = servers[1]!;
    // The shipped recipe runs /usr/local/sbin/sip-resize; this test server has none, so a book with
    // a script that records the call stands in for the platform's resize tool.
    const resizeTool = script('sip-resize', 'echo "resized to $2 channels"');
    const book = JSON.parse(readFileSync(new URL('../../resources/recipes/default.json', import.meta.url), 'utf8')) as {
      recipes: { action: string; defaults?: Record<string, string> }[];
    };
    for (const r of book.recipes) if (r.action === 'resize') r.defaults = { resizeScript: resizeTool };
    writeFileSync(path.join(root, 'data', 'recipes.json'), JSON.stringify(book));
    try {
      const plan = await call(app, 'actions:plan', { action: 'resize', serverIds: [target.id], params: { channels: '1500' } });
      expect(plan).toMatchObject({ confirm: 'typed', confirmText: '1500', confirmHint: 'the new channel count' });
      expect(plan.warnings.join(' ')).toMatch(/reboots the server as soon as you confirm/);
      const wrong = await app.dispatch('actions:run', {
        action: 'resize',
        serverIds: [target.id],
        params: { channels: '1500' },
        confirmation: '1',
      });
      expect(wrong).toMatchObject({ ok: false, error: { field: 'confirmation' } });

      const run = await runToEnd({ action: 'resize', serverIds: [target.id], params: { channels: '1500' }, confirmation: '1500' });
      expect(run.results[0]).toMatchObject({ state: 'done', output: 'resized to 1500 channels\n' });
      expect((await call(app, 'fleet:get-server', { id: target.id })).channels).toBe(1500);
      const { resizes } = await call(app, 'actions:pending-resizes', {});
      expect(resizes).toEqual([
        expect.objectContaining({ serverId: target.id, previousChannels: 200, channels: 1500, activeAt: now + 15 * 60_000 }),
      ]);

      const limits = await call(app, 'platform:limits', { cps: 100, channels: 100_000 });
      const group = limits.groups.find((g) => g.id === target.id);
      expect(group?.capacityChannels).toBe(200);
      expect(limits.pendingResizes).toEqual([expect.objectContaining({ alias: 'sw-02', channels: 1500, previousChannels: 200 })]);
      const findings = await call(app, 'platform:advise', {});
      expect(findings.find((f) => f.rule === 'resize-pending')?.message).toMatch(
        /sw-02 was resized from 200 to 1,500 channels, active in 15 min/,
      );

      now += 15 * 60_000;
      expect((await call(app, 'actions:pending-resizes', {})).resizes).toEqual([]);
      const after = await call(app, 'platform:limits', { cps: 100, channels: 100_000 });
      expect(after.groups.find((g) => g.id === target.id)?.capacityChannels).toBe(1500);
    } finally {
      rmSync(path.join(root, 'data', 'recipes.json'), { force: true });
    }
  });
});
