// SIP OPTIONS at 1,000 probes a second: Switchyard's scheduler and UDP check against SIPp sending
// the same rate, both to the same SIPp responder, in one run.
//
// Targets: 1,000 distinct loopback addresses (127.0.1.1 …), one port. A listener bound to
// 127.0.0.1 does not answer 127.0.0.2, and a thousand listeners are not practical, so the
// responder binds 0.0.0.0 — inside a network namespace of our own that holds only `lo`, where
// nothing off this machine can reach it. SIPp as the peer sends to one address (it has one
// remote per run); the work per OPTIONS is the same.
//
// CPU: ours is measured by the engine process itself (process.cpuUsage over the window); SIPp's
// from /proc over the same length of window, both after a warm-up. They run one after the other
// so they do not compete for the two cores: the engine on the sipmmsg addon (batched
// sendmmsg/recvmmsg), the engine on Node's own sockets (the fallback), the bare Node floor, SIPp.
import path from 'node:path';
import { createLoopbackNetns, processCpuSeconds } from './lib/netns';
import { emit, fmt, hasFlag, log, percentile } from './lib/report';
import { sleep, start } from './lib/spawn';

const WINDOW_S = hasFlag('short') ? 15 : 60;
const WARMUP_S = 5;
const RATE = 1_000;
const PORT = 5060;
const here = path.resolve('test/bench');

interface FloorResult {
  cpuS: number;
  sent: number;
  answered: number;
}

interface EngineResult {
  engine: string;
  cpuS: number;
  wallS: number;
  sent: number;
  answered: number;
  lost: number;
  lateness: number[];
}

const ns = createLoopbackNetns('sip');
const uas = start([...ns.exec, 'sipp', '-sf', path.join(here, 'sipp/options-uas.xml'), '-i', '0.0.0.0', '-p', String(PORT), '-nostdin']);
try {
  await sleep(1_000);
  log(
    `sip: ${RATE} OPTIONS/s for ${WINDOW_S} s after ${WARMUP_S} s of warm-up; ours on the addon, ours on Node sockets, the bare Node floor, then SIPp`,
  );
  const runEngine = async (engine: 'mmsg' | 'node'): Promise<EngineResult> => {
    const run = start([
      ...ns.exec,
      process.execPath,
      '--import',
      'tsx',
      path.join(here, 'sip-engine.ts'),
      '--seconds',
      String(WINDOW_S),
      '--port',
      String(PORT),
      '--engine',
      engine,
    ]);
    await run.exited;
    const result = JSON.parse(run.stdout().trim().split('\n').at(-1) ?? '{}') as EngineResult;
    if (!Array.isArray(result.lateness) || result.engine !== engine) throw new Error(`the ${engine} engine process reported nothing`);
    return result;
  };
  const addon = await runEngine('mmsg');
  const ours = await runEngine('node');

  const floorRun = start([
    ...ns.exec,
    process.execPath,
    '--import',
    'tsx',
    path.join(here, 'sip-floor.ts'),
    '--seconds',
    String(WINDOW_S),
    '--port',
    String(PORT),
  ]);
  await floorRun.exited;
  const floor = JSON.parse(floorRun.stdout().trim().split('\n').at(-1) ?? '{}') as FloorResult;
  if (typeof floor.cpuS !== 'number' || !(floor.sent > 0)) throw new Error('the floor process reported nothing');

  const calls = RATE * (WARMUP_S + WINDOW_S + 2);
  const uac = start([
    ...ns.exec,
    'sipp',
    '-sf',
    path.join(here, 'sipp/options-uac.xml'),
    '-i',
    '127.0.0.1',
    '-p',
    '5070',
    '-r',
    String(RATE),
    '-m',
    String(calls),
    '-nostdin',
    `127.0.1.1:${PORT}`,
  ]);
  await sleep(WARMUP_S * 1_000);
  const cpu0 = processCpuSeconds(uac.pid);
  const wall0 = performance.now();
  await sleep(WINDOW_S * 1_000);
  const peerCpuS = processCpuSeconds(uac.pid) - cpu0;
  const peerWallS = (performance.now() - wall0) / 1_000;
  await uac.stop();

  const oursPerProbeUs = (ours.cpuS / ours.sent) * 1e6;
  const addonPerProbeUs = (addon.cpuS / addon.sent) * 1e6;
  const peerPerProbeUs = (peerCpuS / (RATE * peerWallS)) * 1e6;
  const floorPerProbeUs = (floor.cpuS / floor.sent) * 1e6;
  const answered = (r: EngineResult) => (100 * r.answered) / Math.max(1, r.answered + r.lost);
  // The default engine's lateness: the addon's (it is the one the monitoring service takes when built).
  const p99 = percentile(addon.lateness, 0.99);
  const answeredPct = answered(addon);
  for (const [label, r] of [
    ['ours (addon)', addon],
    ['ours (Node sockets)', ours],
  ] as const) {
    log(
      `  ${label}: ${r.sent} probes in ${fmt(r.wallS)} s, ${fmt(r.cpuS)} s CPU, ${fmt(answered(r), 1)} % answered, lateness p50 ${fmt(percentile(r.lateness, 0.5), 3)} ms p99 ${fmt(percentile(r.lateness, 0.99), 3)} ms max ${fmt(Math.max(...r.lateness), 1)} ms`,
    );
  }
  log(`  floor: ${floor.sent} datagrams, ${fmt(floor.cpuS)} s CPU, ${fmt((100 * floor.answered) / Math.max(1, floor.sent), 1)} % answered`);
  log(`  SIPp: ${fmt(peerCpuS)} s CPU in ${fmt(peerWallS)} s at ${RATE}/s`);
  emit([
    {
      benchmark: `SIP OPTIONS, 1,000 targets at 1 Hz, ${WINDOW_S} s: the engine on the sipmmsg addon (default when built)`,
      measure: 'CPU µs per probe',
      ours: fmt(addonPerProbeUs, 1),
      peer: `${fmt(peerPerProbeUs, 1)} (SIPp)`,
      ratio: `${fmt(addonPerProbeUs / peerPerProbeUs)} ×`,
      goal: '≤ 1 × SIPp',
      met: addonPerProbeUs <= peerPerProbeUs,
    },
    {
      benchmark: `SIP OPTIONS, 1,000 targets at 1 Hz, ${WINDOW_S} s: the engine on Node sockets (fallback)`,
      measure: 'CPU µs per probe',
      ours: fmt(oursPerProbeUs, 1),
      peer: `${fmt(floorPerProbeUs, 1)} (bare Node floor)`,
      ratio: `${fmt(oursPerProbeUs / floorPerProbeUs)} ×`,
      goal: '≤ 1.2 × the floor',
      met: oursPerProbeUs <= 1.2 * floorPerProbeUs,
    },
    {
      benchmark: `SIP OPTIONS, 1,000 targets at 1 Hz, ${WINDOW_S} s: the engine on Node sockets (fallback)`,
      measure: 'CPU µs per probe',
      ours: fmt(oursPerProbeUs, 1),
      peer: `${fmt(peerPerProbeUs, 1)} (SIPp)`,
      ratio: `${fmt(oursPerProbeUs / peerPerProbeUs)} ×`,
      goal: 'reference: the fallback against SIPp',
      met: null,
    },
    {
      benchmark: `SIP OPTIONS, 1,000 targets at 1 Hz, ${WINDOW_S} s: bare Node UDP floor (send and receive only)`,
      measure: 'CPU µs per probe',
      ours: fmt(floorPerProbeUs, 1),
      peer: `${fmt(peerPerProbeUs, 1)} (SIPp)`,
      ratio: `${fmt(floorPerProbeUs / peerPerProbeUs)} ×`,
      goal: 'reference: the least any Node engine can cost',
      met: null,
    },
    {
      benchmark: `SIP OPTIONS, 1,000 targets at 1 Hz, ${WINDOW_S} s`,
      measure: `p99 schedule lateness on the addon, ms (${fmt(answeredPct, 1)} % answered)`,
      ours: fmt(p99, 2),
      peer: '—',
      ratio: '—',
      goal: '< 5 ms',
      met: p99 < 5,
    },
  ]);
} finally {
  await uas.stop();
  ns.remove();
}
