// Screenshots of vantage points with REAL peers: `npx tsx scripts/vantage-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/vantage; needs root for sshd). Two dispatchers are real sshds on
// loopback whose sessions run the real fping, each streaming to the switches of its cluster, an RTP
// server and a carrier address. us-east-lb1 also has sipsak and sends SIP OPTIONS to the switches:
// us-east-sw1 is a real Kamailio on 127.0.0.1. us-east-lb2's sessions get a PATH without sipsak
// (sshd's SetEnv), so its paths are ICMP only. `switchyard serve` runs with vantage probes on at
// 1 s; after a minute of samples the script shoots the Settings section and the switch's chart from
// each dispatcher in the smoke view (SIP and ICMP from lb1, ICMP only from lb2), at 1600×900 and
// 1280×720 in both themes, and copies three of them to docs/screenshots.
import { chmod, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { seedKnownHosts } from '../test/helpers/actions-fixtures';
import { startKamailio } from '../test/helpers/kamailio';
import { fixture, startSshd, TEST_USER } from '../test/helpers/sshd';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, type Shot } from './screenshot-kit';
const LB = '127.0.94.1';
const LB_NEW = '127.0.94.2';

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/vantage');
  const sshd = await startSshd({ addresses: [LB] });
  // A server without sipsak: its sessions find fping and a shell, nothing else.
  const bin = await mkdtemp(path.join(os.tmpdir(), 'switchyard-no-sipsak-'));
  await chmod(bin, 0o755);
  for (const tool of ['sh', 'env', 'head', 'fping']) await symlink(`/usr/bin/${tool}`, path.join(bin, tool));
  const sshdNoSipsak = await startSshd({ addresses: [LB_NEW], port: sshd.port, extraConfig: [`SetEnv PATH=${bin}`] });
  const kamailio = await startKamailio();
  const stage = await openStage({ prepare: (dataDir) => seedKnownHosts(dataDir, [LB, LB_NEW], sshd.port) });
  const { host: h, browser } = stage;
  try {
    const zone = (await ok<{ id: string }>(h, 'fleet:create-zone', { name: 'US-East', description: 'Ashburn, VA' })).id;
    const cluster = (await ok<{ id: string }>(h, 'fleet:create-cluster', { name: 'core-us', description: '' })).id;
    const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null };
    const add = (ip: string, alias: string, type: 'dispatcher' | 'switch', udp = 5060) => {
      const d = defaultServerDraft(zone);
      return ok<{ id: string }>(h, 'fleet:create-server', {
        ...d,
        ip,
        alias,
        type,
        clusterId: cluster,
        channels: 500,
        cps: 50,
        ssh,
        config: { ...d.config, ports: { ...d.config.ports, udp } },
      });
    };
    const lb = await add(LB, 'us-east-lb1', 'dispatcher');
    const lb2 = await add(LB_NEW, 'us-east-lb2', 'dispatcher');
    const sw = await add('127.0.0.1', 'us-east-sw1', 'switch', kamailio.ports.ok);
    await add('127.0.94.12', 'us-east-sw2', 'switch');
    await ok(h, 'fleet:create-rtp', { ip: '127.0.94.21', alias: 'rtp-east-1', zoneId: zone });
    await ok(h, 'vantage:save-settings', {
      enabled: true,
      sources: 'dispatchers',
      chosen: [],
      intervalSec: 1,
      switches: true,
      rtp: true,
      targets: [{ address: '127.0.94.31', label: 'Carrier A (SBC)' }],
    });
    // A minute of 1 s samples: enough steps with five probes each for the 5-minute smoke view.
    await new Promise((r) => setTimeout(r, 70_000));

    const shots: Shot[] = [
      {
        name: 'vantage-settings',
        hash: '#/settings',
        element: '[data-testid="vantage-settings"]',
        prepare: async (page) => {
          await page.locator('[data-testid="vantage-stream"][data-state="streaming"]').first().waitFor();
        },
      },
      {
        name: 'vantage-smoke',
        hash: `#/servers/${sw.id}`,
        prepare: async (page) => {
          const chart = page.getByTestId('latency-chart');
          await chart.getByTestId('chart-source').selectOption(lb.id);
          await chart.getByTestId('view-smoke').click();
          await page.waitForFunction(() => {
            const el = document.querySelector('[data-testid="latency-chart"]');
            return Number(el?.getAttribute('data-points')) > 5 && el?.getAttribute('data-kinds') === 'sip-udp icmp';
          });
        },
      },
      {
        name: 'vantage-smoke-icmp-only',
        hash: `#/servers/${sw.id}`,
        prepare: async (page) => {
          const chart = page.getByTestId('latency-chart');
          await chart.getByTestId('chart-source').selectOption(lb2.id);
          await chart.getByTestId('view-smoke').click();
          await page.waitForFunction((id) => {
            const el = document.querySelector('[data-testid="latency-chart"]');
            return (
              el?.getAttribute('data-source') === id &&
              Number(el.getAttribute('data-points')) > 5 &&
              el.getAttribute('data-kinds') === 'icmp'
            );
          }, lb2.id);
        },
      },
    ];
    await shootAll(browser, h.url, outDir, shots, { pointerAway: true, settle: 800 });
    await copyToDocsAs(outDir, [
      ['vantage-smoke-1600x900-dark', 'vantage-smoke-dark'],
      ['vantage-smoke-icmp-only-1600x900-dark', 'vantage-smoke-icmp-only-dark'],
      ['vantage-settings-1600x900-light', 'vantage-settings-light'],
    ]);
  } finally {
    await stage.close();
    await sshd.stop();
    await sshdNoSipsak.stop();
    await kamailio.stop();
    await rm(bin, { recursive: true, force: true });
  }
}

await main();
