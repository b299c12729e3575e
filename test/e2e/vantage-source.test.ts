// Vantage points in Chromium, against real peers: a real sshd on 127.0.93.1 plays the dispatcher,
// its sessions run the real fping; the switch of its cluster (127.0.93.11) answers ICMP on
// loopback. The operator turns vantage probes on in Settings, sees the stream streaming, then on
// the switch's page picks "from lb-e2e-1" on the chart and sees that path's smoke view.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { seedKnownHosts } from '../helpers/actions-fixtures';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

const LB = '127.0.93.1';
const SWITCH = '127.0.93.11';

let sshd: Sshd;
let s: Session;
let lb: Server;
let sw: Server;

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

beforeAll(async () => {
  sshd = await startSshd({ addresses: [LB] });
  const dataDir = await makeDataDir();
  seedKnownHosts(dataDir, [LB], sshd.port);
  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
  const zone = await ok<{ id: string }>('fleet:create-zone', { name: 'Loopback', description: '' });
  const cluster = await ok<{ id: string }>('fleet:create-cluster', { name: 'East', description: '' });
  const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null };
  const server = async (ip: string, alias: string, type: string) =>
    ok<Server>('fleet:create-server', {
      ip,
      alias,
      type,
      clusterId: cluster.id,
      zoneId: zone.id,
      channels: 100,
      cps: 10,
      expiresAt: null,
      adminState: 'running',
      ssh,
      config: defaultServerDraft(zone.id).config,
    });
  lb = await server(LB, 'lb-e2e-1', 'dispatcher');
  sw = await server(SWITCH, 'sw-e2e-1', 'switch');
  // The first run after a UI change builds the renderer (ensureRendererBuilt) before serve starts.
}, 120_000);

afterAll(async () => {
  await s?.close();
  await sshd?.stop();
});

describe('vantage points in the console', () => {
  test('turned on in Settings, a stream shows streaming; the switch chart picks the vantage path and shows its smoke view', async () => {
    const { page } = s;
    await s.open('#/settings');
    const form = page.getByTestId('vantage-settings');
    await form.getByLabel("Probe from the servers' vantage points").check();
    await form.getByLabel('Interval (s)').fill('1');
    // A bad address is refused beside its field, and nothing is saved.
    await form.getByTestId('vantage-add-target').click();
    await form.getByTestId('vantage-target-address').fill('10.0.0.1;reboot');
    await form.getByTestId('vantage-target-label').fill('Evil');
    await form.getByTestId('save-vantage').click();
    await expect.poll(() => form.locator('#vantage-target-0-error').textContent()).toMatch(/contains ";"/);
    expect((await ok<{ enabled: boolean }>('vantage:settings')).enabled).toBe(false);
    await form.getByTestId('vantage-target-address').fill('127.0.93.31');
    await form.getByTestId('vantage-target-label').fill('Carrier A');
    await form.getByTestId('save-vantage').click();
    const row = form.locator('[data-testid="vantage-stream"][data-server="lb-e2e-1"]');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('streaming');
    expect(await row.textContent()).toContain('sipsak');

    // Samples of the path are stored: the chart's picker lists the vantage server.
    await expect
      .poll(async () => (await ok<{ source: string }[]>('vantage:sources', { targetId: sw.id })).map((o) => o.source), { timeout: 15_000 })
      .toContain(lb.id);
    await s.open(`#/servers/${sw.id}`);
    const chart = page.getByTestId('latency-chart');
    const picker = chart.getByTestId('chart-source');
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['from this workstation', 'from lb-e2e-1']);
    await picker.selectOption({ label: 'from lb-e2e-1' });
    await chart.getByTestId('view-smoke').click();
    await expect.poll(() => chart.getAttribute('data-source')).toBe(lb.id);
    expect(await chart.getAttribute('data-view')).toBe('smoke');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(2);
    expect(await chart.locator('h2').textContent()).toContain('from lb-e2e-1');
    // The dispatcher's sipsak sends OPTIONS to the switch (nothing answers SIP there: lost), so
    // this path names SIP beside ICMP; this path without SIP samples would name ICMP alone.
    await expect.poll(() => chart.getAttribute('data-kinds'), { timeout: 15_000 }).toBe('sip-udp icmp');
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
  }, 40_000);
});
