// 1,000 servers going down at once: how long from the last failing sample to the grouped webhook,
// how many messages, and what the storm costs the host; and, in the same run, what evaluating the
// alert rules costs per sample next to what the host spends on each sample anyway.
//
// Everything runs in a network namespace holding only `lo`: a SIPp responder bound to 0.0.0.0:5060
// answers the 1,000 loopback addresses (as in the SIP benchmark), the host (alert-storm-host.ts)
// probes them at 1 Hz with the shipped defaults, and a plain HTTP receiver (webhook-sink.ts) takes
// the webhook. The storm is the responder killed: every server stops answering SIP at once while
// ICMP still answers ("SIP down, host up", the most common real storm).
import path from 'node:path';
import { createLoopbackNetns } from './lib/netns';
import { emit, fmt, hasFlag, log } from './lib/report';
import { sleep, start } from './lib/spawn';

const here = path.resolve('test/bench');
const SINK_PORT = 18080;
const ns = createLoopbackNetns('alerts');
const uas = start([...ns.exec, 'sipp', '-sf', path.join(here, 'sipp/options-uas.xml'), '-i', '0.0.0.0', '-p', '5060', '-nostdin']);
const sink = start([...ns.exec, process.execPath, '--import', 'tsx', path.join(here, 'webhook-sink.ts'), '--port', String(SINK_PORT)]);

interface Steady {
  samples: number;
  cpuS: number;
  kidsS: number;
  wallS: number;
  evalMs: number;
  evaluated: number;
}

try {
  await sleep(1_000);
  log('alert-storm: 1,000 servers at 1 Hz; steady state, then the responder is killed');
  const host = start(
    [
      ...ns.exec,
      process.execPath,
      '--import',
      'tsx',
      path.join(here, 'alert-storm-host.ts'),
      '--sink-port',
      String(SINK_PORT),
      ...(hasFlag('short') ? ['--short'] : []),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  while (!host.stdout().includes('STORM\n')) {
    if (host.child.exitCode !== null) throw new Error('the host process ended before the storm');
    await sleep(50);
  }
  const killedAt = Date.now();
  uas.child.kill('SIGKILL');
  await uas.exited;
  await host.exited;
  const result = JSON.parse(host.stdout().trim().split('\n').at(-1) ?? '{}') as {
    byDefault: Steady;
    allRules: Steady;
    storm: { cpuS: number; kidsS: number; wallS: number };
    raised: number;
    lastFailingAt: number;
    firing: number;
  };
  await sink.stop();
  const arrivals = JSON.parse(sink.stdout().trim().split('\n').at(-1) ?? '[]') as { at: number; firing: number; ids: number[] }[];
  const stormMessages = arrivals.filter((a) => a.at >= killedAt && a.firing > 0);
  const grouped = stormMessages.find((m) => m.firing >= result.raised) ?? stormMessages.at(-1);
  if (!grouped) throw new Error('no webhook arrived for the storm');
  const latencyS = (grouped.at - result.lastFailingAt) / 1_000;
  const perSampleUs = (s: Steady) => ((s.cpuS + s.kidsS) / s.samples) * 1e6;
  const evalUs = (s: Steady) => (s.evalMs / Math.max(1, s.evaluated)) * 1e3;
  const steadyCpuMsPerS = ((result.byDefault.cpuS + result.byDefault.kidsS) / result.byDefault.wallS) * 1e3;
  const stormCpuMsPerS = ((result.storm.cpuS + result.storm.kidsS) / result.storm.wallS) * 1e3;
  log(
    `  storm messages (s after the last failing sample, firing): ${stormMessages.map((m) => `${fmt((m.at - result.lastFailingAt) / 1000)} s: ${m.firing}`).join('; ')}`,
  );
  log(
    `  storm: ${result.raised} servers raised; last failing sample ${new Date(result.lastFailingAt).toISOString()}, grouped webhook ${new Date(grouped.at).toISOString()} with ${grouped.firing} firing; ${stormMessages.length} message(s)`,
  );
  log(
    `  CPU: steady ${fmt(steadyCpuMsPerS, 1)} ms/s, storm ${fmt(stormCpuMsPerS, 1)} ms/s (node ${fmt(result.storm.cpuS)} s + fping ${fmt(result.storm.kidsS)} s over ${result.storm.wallS} s)`,
  );
  const row = (label: string, s: Steady) => ({
    benchmark: `Alert evaluation, 1,000 servers at 1 Hz (${label})`,
    measure: "µs per sample: rule evaluation vs the host's whole cost per sample (node + fping)",
    ours: fmt(evalUs(s), 2),
    peer: `${fmt(perSampleUs(s), 1)} (the host per sample, same run)`,
    ratio: `${fmt((100 * evalUs(s)) / perSampleUs(s), 1)} %`,
    goal: '≤ 10 %',
    met: evalUs(s) / perSampleUs(s) <= 0.1,
  });
  emit([
    {
      benchmark: '1,000 servers down at once (SIP responder killed), 1 s interval',
      measure: 'last failing sample → grouped webhook received, s',
      ours: fmt(latencyS, 2),
      peer: '—',
      ratio: '—',
      goal: '< 2 s',
      met: latencyS < 2,
    },
    {
      benchmark: '1,000 servers down at once, 1 s interval',
      measure: `webhook messages for the storm (${result.raised} alerts)`,
      ours: String(stormMessages.length),
      peer: '—',
      ratio: '—',
      goal: '1 per route',
      met: stormMessages.length === 1,
    },
    {
      benchmark: '1,000 servers down at once, 1 s interval',
      measure: 'host CPU ms per second, first 10 s of the storm (node + fping)',
      ours: fmt(stormCpuMsPerS, 1),
      peer: `${fmt(steadyCpuMsPerS, 1)} (steady state before it)`,
      ratio: `${fmt(stormCpuMsPerS / steadyCpuMsPerS)} ×`,
      goal: 'reported',
      met: null,
    },
    row('default rules', result.byDefault),
    row('every sample rule on', result.allRules),
  ]);
} finally {
  await uas.stop();
  await sink.stop();
  ns.remove();
}
