// The measured side of the team fan-out benchmark, in its own process inside the benchmark's
// network namespace: a whole Switchyard host probing 1,000 loopback servers at 1 Hz (real SIP and
// ICMP probes, the store, monitoring) with the team web host over TLS in front of it.
// 1. Warms up, then reads its CPU (node + fping) over a window with no client: the peer figure.
// 2. Prints `READY PORT CA-FILE` and waits for `CONNECTED` on stdin (the clients are signed in
//    and listening), then reads its CPU and memory over the same window with them, and prints one
//    JSON line.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openHost } from '../../src/host/app';
import { resolveTeamConfig } from '../../src/host/web/team-config';
import { startTeamHost } from '../../src/host/web/team-server';
import { createTestAccounts } from '../helpers/team-accounts';
import { makeTestCa } from '../helpers/test-certs';
import { loopbackTarget } from './lib/netns';
import { hasFlag } from './lib/report';
import { sleep } from './lib/spawn';

const SERVERS = 1_000;
const WINDOW_S = hasFlag('short') ? 8 : 20;
const log = (m: string) => process.stderr.write(`${m}\n`);

function childrenCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6 + childrenCpuSeconds();
};

async function window(): Promise<number> {
  const [cpu0, t0] = [cpuSeconds(), Date.now()];
  await sleep(WINDOW_S * 1000);
  return ((cpuSeconds() - cpu0) / ((Date.now() - t0) / 1000)) * 1000;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-team-'));
const app = openHost({ dataDir: path.join(dir, 'data'), monitoring: true, log });
const call = async (method: string, input: unknown) => {
  const result = await app.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
};
await call('settings:update', { probeIntervalSec: 1 });
const servers = Array.from({ length: SERVERS }, (_, i) => ({
  ip: loopbackTarget(i),
  alias: `bench-${i + 1}`,
  type: 'switch',
  zone: 'Bench',
}));
await call('fleet:import', {
  format: 'json',
  text: JSON.stringify({
    switchyard: 'fleet',
    version: 1,
    zones: [{ name: 'Bench', description: '' }],
    clusters: [],
    servers,
    rtpServers: [],
  }),
});

const ca = makeTestCa(path.join(dir, 'ca'));
const leaf = ca.leaf({ name: 'host', cn: 'noc.test', sans: ['DNS:noc.test', 'IP:127.0.0.1'], toDays: 2 });
writeFileSync(path.join(dir, 'host.pem'), leaf.certPem);
writeFileSync(path.join(dir, 'host.key'), leaf.keyPem);
writeFileSync(path.join(dir, 'ca.pem'), ca.caPem);
// The sign-in directory is the test one: sign-in is not what this measures, the fan-out is.
const accounts = createTestAccounts();
accounts.add('wall', 'viewer', 'bench password 1234');
const config = resolveTeamConfig(
  { listen: '127.0.0.1:0', tlsCert: path.join(dir, 'host.pem'), tlsKey: path.join(dir, 'host.key'), names: ['noc.test'] },
  dir,
)!;

const team = await startTeamHost({ app, config, accounts, audit: app.audit, staticDir: dir, log });

// When each samples push left monitoring, keyed by its newest sample (as the clients key it), so
// the parent can split the latency into monitoring's own batching and the fan-out after it.
const emits: [number, number][] = [];
app.events.on((event, payload) => {
  if (event !== 'monitoring:samples') return;
  let newest = 0;
  for (const update of (payload as { updates: { sip: { at: number } | null; icmp: { at: number } | null }[] }).updates) {
    for (const probe of [update.sip, update.icmp]) if (probe) newest = Math.max(newest, probe.at);
  }
  emits.push([newest, Date.now()]);
});
await sleep(5_000);
log(`team-fanout host: ${SERVERS} servers at 1 Hz; CPU over ${WINDOW_S} s with no client`);
const idleCpu = await window();
const rssBefore = process.memoryUsage().rss;
process.stdout.write(`READY ${team.address.port} ${path.join(dir, 'ca.pem')}\n`);
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => line.trim() === 'CONNECTED' && resolve());
});
log(`team-fanout host: clients connected; CPU and memory over ${WINDOW_S} s`);
const busyCpu = await window();
const rssAfter = process.memoryUsage().rss;
process.stdout.write(`${JSON.stringify({ idleCpu, busyCpu, rssBefore, rssAfter, emits: emits.slice(-200) })}\n`);
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => line.trim() === 'STOP' && resolve());
});
await team.close();
await app.close();
process.exit(0);
