import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerType } from '../../src/contract/fleet';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { freePort } from '../helpers/free-port';
import { ctlSeenAt, startCallee, startCaller, startDispatcher, startSwitch, type Peer } from '../helpers/kamailio-calls';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

// Live calls in the fleet table and on the server page, and a dispatcher's own view of its
// switches, in Chromium against `switchyard serve` polling as shipped (every 30 s) over the real
// test sshd: a real Kamailio switch on 127.0.86.11 carries SIPp calls (12 held open, and 4 a
// second more, each held a second); a real Kamailio dispatcher on 127.0.86.1 probes 127.0.86.11
// (answers), 127.0.86.12 (the switch, dropping only the dispatcher's OPTIONS) and 127.0.86.14
// (silent). Each server has its own sshd whose sessions see that server's Kamailio at the one
// control socket path the recipe book names (a private mount per sshd). With SWITCHYARD_SHOTS=DIR
// set, the screens are saved there.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
const LB = '127.0.86.1';
const SW = '127.0.86.11';
const sshds: Sshd[] = [];
const sshPort: Record<string, number> = {};
let dataDir: string;
let s: Session;
const peers: Peer[] = [];
const ids: Record<string, string> = {};
let ctlDir: string | undefined;

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

function server(zone: string, ip: string, alias: string, type: ServerType, sipPort: number, ssh: number) {
  return {
    ip,
    alias,
    type,
    clusterId: null,
    zoneId: zone,
    channels: 100,
    cps: 20,
    expiresAt: null,
    adminState: 'running',
    config: {
      interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: true, originationEgress: true },
      uacAuth: false,
      webrtcTls: false,
      fqdn: null,
      autoUpgrade: false,
      disableUacPing: false,
      uacLocationSharing: false,
      tlsInternals: false,
      restrictDirect: false,
      tcpSipTrace: false,
      anyReg: false,
      processingZone: null,
      ports: { udp: sipPort, tcp: sipPort, tls: 5061 },
      capacityFailover: { enabled: false, targetId: null },
    },
    ssh: { host: null, port: ssh, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  };
}

beforeAll(async () => {
  const sipPort = await freePort();
  const calleePort = await freePort();
  peers.push(startCallee('127.0.0.1', calleePort));
  const sw = await startSwitch({
    addresses: { [SW]: 'all', '127.0.86.12': 'not-dispatcher' },
    port: sipPort,
    callee: { host: '127.0.0.1', port: calleePort },
    dispatcherAddress: LB,
  });
  peers.push(sw);
  const lb = await startDispatcher({
    address: LB,
    port: await freePort(),
    destinations: [
      `1 sip:${SW}:${sipPort} 0 0 weight=50`,
      `1 sip:127.0.86.12:${sipPort} 0 0 weight=50`,
      `1 sip:127.0.86.14:${sipPort} 0 0`,
    ],
  });
  peers.push(lb);
  peers.push(startCaller({ from: '127.0.0.1', port: await freePort(), to: `${SW}:${sipPort}`, calls: 12, rate: 12, holdMs: 600_000 }));
  peers.push(startCaller({ from: '127.0.0.1', port: await freePort(), to: `${SW}:${sipPort}`, calls: 100_000, rate: 4, holdMs: 1_000 }));
  // The one control socket path every server's sessions see, each its own Kamailio behind it.
  ctlDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ctl-view-'));
  chmodSync(ctlDir, 0o755);
  const ctl = path.join(ctlDir, 'kamailio_ctl');
  writeFileSync(ctl, '');
  for (const [address, peer] of [
    [LB, lb],
    [SW, sw],
  ] as const) {
    const sshd = await startSshd({ addresses: [address], launcher: ctlSeenAt(peer, ctl) });
    sshds.push(sshd);
    sshPort[address] = sshd.port;
  }

  dataDir = await makeDataDir();
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(dataDir, 'known_hosts'), sshds.map((d) => `[${d.addresses[0]}]:${d.port} ${keyType} ${key}`).join('\n') + '\n');
  // The shipped book; only its defaults set: kamcmd's path (not on the test user's PATH) and the
  // control socket.
  const book = defaultRecipeBook();
  if (!book.dispatcher) throw new Error('the shipped book reads dispatchers');
  book.probes.load.defaults = { kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${ctl}` };
  book.dispatcher.defaults = { kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${ctl}` };
  writeFileSync(path.join(dataDir, 'recipes.json'), JSON.stringify(book));
  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
  await ok('settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
  const zone = (await ok<{ id: string }>('fleet:create-zone', { name: 'Loopback', description: '' })).id;
  ids['sw'] = (await ok<{ id: string }>('fleet:create-server', server(zone, SW, 'sw-calls', 'switch', sipPort, sshPort[SW] ?? 0))).id;
  ids['lb'] = (await ok<{ id: string }>('fleet:create-server', server(zone, LB, 'lb-01', 'dispatcher', sipPort, sshPort[LB] ?? 0))).id;
  // No sshd answers there: its load poll fails, and the table says so.
  ids['blind'] = (
    await ok<{ id: string }>('fleet:create-server', server(zone, '127.0.86.12', 'sw-blind', 'switch', sipPort, sshPort[SW] ?? 0))
  ).id;
}, 90_000);

afterAll(async () => {
  await s?.close();
  for (const p of peers.reverse()) await p.stop();
  for (const sshd of sshds) await sshd.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (ctlDir) await rm(ctlDir, { recursive: true, force: true });
});

describe("live calls and the dispatcher's own view", { timeout: 150_000 }, () => {
  test('the fleet table shows channels and calls per second in use / capacity, from the real Kamailio', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const row = page.locator('.vt-row', { hasText: 'sw-calls' });
    const channels = row.getByTestId('usage-channels');
    const cps = row.getByTestId('usage-cps');
    // The first poll brings the calls up now (12 held, a few short ones in flight)...
    await expect
      .poll(async () => Number((await channels.textContent())?.match(/^\s*(\d+)\s*\/\s*100\s*$/)?.[1] ?? -1), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(12);
    // ...the second, 30 s on, the rate: SIPp's 4 calls a second.
    await expect
      .poll(async () => Number((await cps.textContent())?.match(/^\s*([\d.]+)\s*\/\s*20\s*$/)?.[1] ?? -1), { timeout: 90_000 })
      .toBeGreaterThan(3);
    expect(Number((await cps.textContent())?.match(/([\d.]+)\s*\//)?.[1])).toBeLessThan(5);
    expect(await cps.getAttribute('title')).toMatch(/calls per second of 20 CPS \(\d+ %\), read/);
    // The dispatcher's Kamailio tracks no dialogs, and a server that cannot be read says why instead of a number.
    await expect
      .poll(() => page.locator('.vt-row', { hasText: 'lb-01' }).getByTestId('usage-channels').getAttribute('title'), { timeout: 45_000 })
      .toMatch(/Calls on lb-01 \(127\.0\.86\.1\) could not be read: Kamailio has no dialog statistics/);
    const blind = page.locator('.vt-row', { hasText: 'sw-blind' }).getByTestId('usage-channels');
    await expect
      .poll(() => blind.getAttribute('title'), { timeout: 45_000 })
      .toMatch(/In use not known: Load of sw-blind could not be read/);
    expect((await blind.textContent())?.trim()).toMatch(/^—\s*\/\s*100$/);
    // Sorting by Channels goes by use: the busiest first.
    const header = page.getByRole('button', { name: /^Channels/ });
    await header.click();
    await header.click();
    await expect.poll(async () => (await page.locator('.vt-row').first().textContent()) ?? '').toContain('sw-calls');
    await page.mouse.move(1598, 898);
    await shot('fleet-calls-dark');
  });

  test('the server page charts channels in use and calls per second against their limits', async () => {
    const { page } = s;
    await s.open(`#/servers/${ids['sw']}`);
    const panel = page.getByTestId('load-panel');
    await expect
      .poll(async () => (await panel.getByTestId('now-channels').textContent()) ?? '', { timeout: 45_000 })
      .toMatch(/Active channels\s*\d+ \/ 100 \(\d+ %\)/);
    await expect
      .poll(async () => (await panel.getByTestId('now-cps').textContent()) ?? '', { timeout: 60_000 })
      .toMatch(/Calls per second\s*[\d.]+ \/ 20/);
    await panel.getByTestId('calls-chart').locator('canvas').waitFor();
    await shot('server-calls-dark');
  });

  test("the dispatcher's destinations beside Switchyard's probes, with the disagreement, and the advisor's finding", async () => {
    const { page } = s;
    await s.open(`#/servers/${ids['lb']}/destinations`);
    const view = page.getByTestId('dispatcher-view');
    const row = (host: string) => view.locator(`[data-testid="destination"][data-uri*="${host}:"]`);
    await row(SW).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(SW).textContent(), { timeout: 30_000 }).toMatch(/sw-calls.*Active.*probing.*Online.*Agree/);
    // The switch that drops the dispatcher's keepalives but answers Switchyard.
    await expect.poll(() => row('127.0.86.12').getAttribute('data-disagreement'), { timeout: 30_000 }).toBe('inactive-but-answering');
    expect(await row('127.0.86.12').textContent()).toMatch(/sw-blind.*Inactive.*Online.*lb-01 marks it inactive; it answers Switchyard/);
    // The silent one: inactive there, and not in the fleet here.
    expect(await row('127.0.86.14').textContent()).toMatch(/not in the fleet.*Inactive/);
    expect(await view.getByTestId('disagree-count').textContent()).toBe('1 disagree with Switchyard');
    await shot('dispatcher-destinations-dark');
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await shot('dispatcher-destinations-light');
    await page.keyboard.press('t');

    await s.open('#/advisor');
    const finding = page.locator('[data-rule="dispatcher-disagrees"]');
    await expect
      .poll(() => finding.first().textContent(), { timeout: 30_000 })
      .toMatch(/lb-01 marks sw-blind .* inactive, while Switchyard's probes see it answering/);
    await finding.first().getByRole('button', { name: 'Open Destinations on lb-01' }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/servers/${ids['lb']}/destinations$`));
    await page.getByTestId('dispatcher-view').waitFor();
  });
});
