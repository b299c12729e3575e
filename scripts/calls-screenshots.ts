// Screenshots of live calls and the dispatcher's own view with REAL peers:
// `npx tsx scripts/calls-screenshots.ts [OUTDIR]` (default .tmp/screenshots/calls; needs root for
// sshd and its private mounts). Three Kamailio switches carry SIPp calls at different loads (one
// well below its limits, one near them, one over), a fourth switch is silent, and a Kamailio
// dispatcher probes them all; each server's own sshd lets its sessions see its own Kamailio at the
// one control socket path the recipe book names. `switchyard serve` polls as shipped (every 30 s),
// so the script waits for three polls, then shoots the fleet table, a switch's calls charts, the
// dispatcher's Destinations tab and the advisor at 1600×900 and 1280×720 in both themes.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { defaultRecipeBook } from '../src/services/actions/recipes';
import { freePort } from '../test/helpers/free-port';
import { ctlSeenAt, startCallee, startCaller, startDispatcher, startSwitch, type Answer, type Peer } from '../test/helpers/kamailio-calls';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../test/helpers/sshd';
import { makeDataDir } from '../test/e2e/fixtures';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, until, type Shot, type Stage } from './screenshot-kit';

const LB = '127.0.85.1';

interface SwitchPlan {
  ip: string;
  alias: string;
  channels: number;
  cps: number;
  /** How it answers OPTIONS (the dispatcher's, Switchyard's). */
  answer: Answer;
  held: number;
  rate: number;
}
const SWITCHES: SwitchPlan[] = [
  { ip: '127.0.85.11', alias: 'us-east-sw1', channels: 200, cps: 30, answer: 'all', held: 24, rate: 6 },
  { ip: '127.0.85.12', alias: 'us-east-sw2', channels: 50, cps: 10, answer: 'not-dispatcher', held: 38, rate: 3 },
  { ip: '127.0.85.13', alias: 'us-east-sw3', channels: 30, cps: 5, answer: 'only-dispatcher', held: 29, rate: 6 },
];

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/calls');
  const peers: Peer[] = [];
  const sshds: Sshd[] = [];
  const ctlDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ctl-view-'));
  chmodSync(ctlDir, 0o755);
  const ctl = path.join(ctlDir, 'kamailio_ctl');
  writeFileSync(ctl, '');
  const dataDir = await makeDataDir();
  let stage: Stage | undefined;
  try {
    const sipPort = await freePort();
    const calleePort = await freePort();
    peers.push(startCallee('127.0.0.1', calleePort));
    const sshPorts = new Map<string, number>();
    const serveSsh = async (address: string, peer: Peer) => {
      const sshd = await startSshd({ addresses: [address], launcher: ctlSeenAt(peer, ctl) });
      sshds.push(sshd);
      sshPorts.set(address, sshd.port);
    };
    for (const plan of SWITCHES) {
      const sw = await startSwitch({
        addresses: { [plan.ip]: plan.answer },
        port: sipPort,
        callee: { host: '127.0.0.1', port: calleePort },
        dispatcherAddress: LB,
      });
      peers.push(sw);
      await serveSsh(plan.ip, sw);
      peers.push(
        startCaller({
          from: '127.0.0.1',
          port: await freePort(),
          to: `${plan.ip}:${sipPort}`,
          calls: plan.held,
          rate: plan.held,
          holdMs: 3_600_000,
        }),
      );
      peers.push(
        startCaller({
          from: '127.0.0.1',
          port: await freePort(),
          to: `${plan.ip}:${sipPort}`,
          calls: 1_000_000,
          rate: plan.rate,
          holdMs: 1_000,
        }),
      );
    }
    const lb = await startDispatcher({
      address: LB,
      port: sipPort,
      destinations: [
        ...SWITCHES.map((p, i) => `1 sip:${p.ip}:${sipPort} 0 0 weight=${i === 0 ? 50 : 25}`),
        `1 sip:127.0.85.14:${sipPort} 0 0 weight=0`,
      ],
    });
    peers.push(lb);
    await serveSsh(LB, lb);

    const { keyType, key } = hostPublicKey('ed25519');
    writeFileSync(path.join(dataDir, 'known_hosts'), sshds.map((d) => `[${d.addresses[0]}]:${d.port} ${keyType} ${key}`).join('\n') + '\n');
    const book = defaultRecipeBook();
    if (!book.dispatcher) throw new Error('the shipped book reads dispatchers');
    book.probes.load.defaults = { kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${ctl}` };
    book.dispatcher.defaults = { kamcmd: '/usr/sbin/kamcmd', ctl: `unix:${ctl}` };
    writeFileSync(path.join(dataDir, 'recipes.json'), JSON.stringify(book));

    stage = await openStage({ dataDir });
    const { host: h, browser } = stage;
    await ok(h, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
    const zone = (await ok<{ id: string }>(h, 'fleet:create-zone', { name: 'US-East', description: 'Ashburn, VA' })).id;
    const cluster = (await ok<{ id: string }>(h, 'fleet:create-cluster', { name: 'core-us', description: '' })).id;
    const base = (ip: string, alias: string, type: 'switch' | 'dispatcher', channels: number, cps: number, clusterId: string | null) => {
      const draft = defaultServerDraft(zone);
      return {
        ...draft,
        ip,
        alias,
        type,
        clusterId,
        channels,
        cps,
        config: { ...draft.config, ports: { udp: sipPort, tcp: sipPort, tls: 5061 } },
        ssh: { ...draft.ssh, port: sshPorts.get(ip) ?? 1, user: TEST_USER, auth: 'key' as const, keyPath: fixture('user_ed25519') },
      };
    };
    const lbServer = await ok<{ id: string }>(h, 'fleet:create-server', base(LB, 'us-east-lb1', 'dispatcher', 500, 60, null));
    const created: { id: string; alias: string }[] = [];
    for (const p of SWITCHES)
      created.push(
        await ok<{ id: string; alias: string }>(h, 'fleet:create-server', base(p.ip, p.alias, 'switch', p.channels, p.cps, cluster)),
      );
    await ok(h, 'fleet:create-server', base('127.0.85.14', 'us-east-sw4', 'switch', 200, 30, cluster));
    // Failover within the cluster: sw1 → sw2 → sw3 → sw1.
    for (const [i, s] of created.entries()) {
      const target = created[(i + 1) % created.length];
      const full = await ok<Record<string, unknown> & { config: Record<string, unknown> }>(h, 'fleet:get-server', { id: s.id });
      const { id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _d, ...draft } = full;
      await ok(h, 'fleet:update-server', {
        id,
        draft: { ...draft, config: { ...full.config, capacityFailover: { enabled: true, targetId: target?.id ?? null } } },
      });
    }

    // Three polls of every switch: calls, then a rate, then a line to chart.
    const sw2 = created[1];
    await until(
      'three readings with a rate on us-east-sw2',
      async () => {
        const { samples } = await ok<{ samples: { cps: number | null }[] }>(h, 'actions:server-load', { serverId: sw2?.id });
        return samples.length >= 3 && samples.at(-1)?.cps !== null ? true : null;
      },
      240_000,
      1_000,
    );
    await until(
      'the dispatcher view',
      async () =>
        (await ok<{ readAt: number | null }>(h, 'dispatcher:get-view', { serverId: lbServer.id })).readAt !== null ? true : null,
      150_000,
      1_000,
    );

    const shots: Shot[] = [
      {
        name: 'fleet-calls',
        hash: '#/fleet',
        prepare: async (page) => {
          const header = page.getByRole('button', { name: /^Channels/ });
          await header.click();
          await header.click();
        },
      },
      {
        name: 'server-calls',
        hash: `#/servers/${sw2?.id}`,
        prepare: async (page) => void (await page.getByTestId('calls-chart').locator('canvas').waitFor()),
      },
      {
        name: 'dispatcher-destinations',
        hash: `#/servers/${lbServer.id}/destinations`,
        prepare: async (page) => void (await page.getByTestId('destination').first().waitFor()),
      },
      {
        name: 'advisor-calls',
        hash: '#/advisor',
        prepare: async (page) => void (await page.locator('[data-rule="dispatcher-disagrees"]').first().waitFor()),
      },
    ];
    await shootAll(browser, h.url, outDir, shots, { pointerAway: true, settle: 800 });
    await copyToDocsAs(outDir, [
      ['fleet-calls-1600x900-dark', 'fleet-calls-dark'],
      ['server-calls-1600x900-light', 'server-calls-light'],
      ['dispatcher-destinations-1600x900-dark', 'dispatcher-destinations-dark'],
    ]);
  } finally {
    // The stage removes the data folder once it owns it; before that, it is removed here.
    await (stage ? stage.close() : rm(dataDir, { recursive: true, force: true }));
    for (const p of peers.reverse()) await p.stop();
    for (const d of sshds) await d.stop();
    await rm(ctlDir, { recursive: true, force: true });
  }
}

await main();
