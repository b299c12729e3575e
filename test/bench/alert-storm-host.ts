// The measured side of the alert storm benchmark, run in its own process inside the benchmark's
// network namespace: a whole Switchyard host (real SIP and ICMP probes, the store, monitoring,
// the alert engine, grouping and the webhook transport) probing 1,000 loopback servers at 1 Hz.
//
// 1. Steady state with the default rules, then with every sample rule on: the host's CPU per
//    sample, and the time spent in the alert engine's evaluation of each sample (summed around
//    `engine.observe`, so it includes the clock reads themselves: an upper bound).
// 2. Prints STORM and waits: the parent stops the SIP responder, so every server goes down at
//    once. For each server, the moment the sample that completes its third loss in a row arrives
//    is noted; the last of them is "the last failing sample". Its own CPU (and fping's) is read
//    over the ten seconds after STORM.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openHost } from '../../src/host/app';
import type { Sample } from '../../src/domain/monitoring/sample';
import { loopbackTarget } from './lib/netns';
import { flag, hasFlag } from './lib/report';
import { sleep } from './lib/spawn';

const SERVERS = 1_000;
const STEADY_S = hasFlag('short') ? 6 : 20;
const STORM_S = 10;
const SINK_PORT = Number(flag('sink-port') ?? 18080);
const log = (m: string) => process.stderr.write(`${m}\n`);

async function call(method: string, input: unknown): Promise<unknown> {
  const result = await app.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.data;
}

/** CPU seconds of this process's children that are still running (fping), from /proc. */
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

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const app = openHost({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-alerts-')), monitoring: true, log });
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
const channel = (await call('alerts:save-channel', {
  name: 'sink',
  config: { kind: 'webhook', preset: 'generic' },
  secrets: { url: `http://127.0.0.1:${SINK_PORT}/hook` },
})) as { id: number };
await call('alerts:save-route', { channelId: channel.id, severities: ['critical', 'warning', 'info'] });

// The alert engine's share, timed where it runs.
const engine = app.alerts.engine;
const observe = engine.observe.bind(engine);
let evalMs = 0;
let evaluated = 0;
engine.observe = (sample: Sample) => {
  const t0 = performance.now();
  observe(sample);
  evalMs += performance.now() - t0;
  evaluated += 1;
};

let samples = 0;
const streak = new Map<string, number>();
const raisedAt = new Map<string, number>();
let storming = false;
app.onSample((s) => {
  samples += 1;
  if (!storming || s.kind !== 'sip-udp') return;
  const n = s.rttMs === null ? (streak.get(s.serverId) ?? 0) + 1 : 0;
  streak.set(s.serverId, n);
  if (n === 3 && !raisedAt.has(s.serverId)) raisedAt.set(s.serverId, Date.now());
});

async function steady(label: string) {
  samples = 0;
  evalMs = 0;
  evaluated = 0;
  const cpu0 = cpuSeconds();
  const kids0 = childrenCpuSeconds();
  const wall0 = performance.now();
  await sleep(STEADY_S * 1_000);
  const cpuS = cpuSeconds() - cpu0;
  const kidsS = childrenCpuSeconds() - kids0;
  const wallS = (performance.now() - wall0) / 1_000;
  log(
    `  ${label}: ${samples} samples in ${wallS.toFixed(1)} s, node ${cpuS.toFixed(2)} s CPU, fping ${kidsS.toFixed(2)} s, alert evaluation ${evalMs.toFixed(1)} ms over ${evaluated} samples`,
  );
  return { label, samples, cpuS, kidsS, wallS, evalMs, evaluated };
}

log('alert storm host: warming up');
await sleep(8_000);
const byDefault = await steady('default rules');
for (const kind of ['sip-loss', 'icmp-loss', 'latency', 'sip-class'])
  await call('alerts:set-rule', { kind, scope: { level: 'fleet' }, params: { enabled: true } });
await sleep(2_000);
const allRules = await steady('every sample rule on');
for (const kind of ['sip-loss', 'icmp-loss', 'latency', 'sip-class'])
  await call('alerts:set-rule', { kind, scope: { level: 'fleet' }, params: {} });
await sleep(2_000);

// The storm: the parent stops the responder when it reads this line.
const lines = createInterface({ input: process.stdin });
storming = true;
process.stdout.write('STORM\n');
const stormCpu0 = cpuSeconds();
const stormKids0 = childrenCpuSeconds();
await sleep(STORM_S * 1_000);
const storm = { cpuS: cpuSeconds() - stormCpu0, kidsS: childrenCpuSeconds() - stormKids0, wallS: STORM_S };
const deadline = Date.now() + 20_000;
while (raisedAt.size < SERVERS && Date.now() < deadline) await sleep(200);
const counts = app.alerts.service.counts();
await sleep(3_000);
lines.close();
await app.close();
const lastFailingAt = Math.max(...raisedAt.values());
process.stdout.write(`${JSON.stringify({ byDefault, allRules, storm, raised: raisedAt.size, lastFailingAt, firing: counts.firing })}\n`);
process.exit(0);
