// ICMP to 1,000 loopback targets at 1 Hz: the engine (scheduler + FpingCheck, fping included)
// against bare `fping -l` with the same arguments the engine gives it, in one run, one after the
// other. CPU over the same window after a warm-up; the engine's own process plus its fping child.
import path from 'node:path';
import { loopbackTarget, processCpuSeconds } from './lib/netns';
import { emit, fmt, hasFlag, log } from './lib/report';
import { sleep, start } from './lib/spawn';

const WINDOW_S = hasFlag('short') ? 15 : 60;
const WARMUP_S = 5;
const TARGETS = 1_000;
const here = path.resolve('test/bench');

interface EngineResult {
  selfS: number;
  childS: number;
  wallS: number;
  answered: number;
  lost: number;
  restarted: boolean;
}

log(`icmp: ${TARGETS} targets at 1 Hz for ${WINDOW_S} s after ${WARMUP_S} s of warm-up; engine first, then bare fping`);
const engine = start([
  process.execPath,
  '--import',
  'tsx',
  path.join(here, 'icmp-engine.ts'),
  '--seconds',
  String(WINDOW_S),
  '--targets',
  String(TARGETS),
]);
await engine.exited;
const ours = JSON.parse(engine.stdout().trim().split('\n').at(-1) ?? '{}') as EngineResult;
if (typeof ours.selfS !== 'number') throw new Error('the engine process reported nothing');

// The arguments FpingCheck builds for this fleet: timestamps, 1 s period, 1 ms spacing, timeout = period.
const hosts = Array.from({ length: TARGETS }, (_, i) => loopbackTarget(i));
const bare = start(['fping', '-l', '-D', '-p', '1000', '-i', '1', '-t', '1000', ...hosts], { env: { ...process.env, LC_ALL: 'C' } });
await sleep(WARMUP_S * 1_000);
const cpu0 = processCpuSeconds(bare.pid);
const wall0 = performance.now();
await sleep(WINDOW_S * 1_000);
const peerS = processCpuSeconds(bare.pid) - cpu0;
const peerWallS = (performance.now() - wall0) / 1_000;
await bare.stop();

const oursPerS = (ours.selfS + ours.childS) / ours.wallS;
const peerPerS = peerS / peerWallS;
const answeredPct = (100 * ours.answered) / Math.max(1, ours.answered + ours.lost);
log(
  `  engine: node ${fmt(ours.selfS)} s + fping ${fmt(ours.childS)} s CPU in ${fmt(ours.wallS)} s, ${fmt(answeredPct, 1)} % answered${ours.restarted ? ' (fping restarted mid-window!)' : ''}`,
);
log(`  bare fping: ${fmt(peerS)} s CPU in ${fmt(peerWallS)} s`);
emit([
  {
    benchmark: `ICMP, 1,000 targets at 1 Hz, ${WINDOW_S} s`,
    measure: `CPU ms per second of probing (${fmt(answeredPct, 1)} % answered)`,
    ours: `${fmt(oursPerS * 1_000, 1)} (node ${fmt((ours.selfS / ours.wallS) * 1_000, 1)} + fping ${fmt((ours.childS / ours.wallS) * 1_000, 1)})`,
    peer: `${fmt(peerPerS * 1_000, 1)} (fping -l)`,
    ratio: `${fmt(oursPerS / peerPerS)} ×`,
    goal: '≤ 1.2 × fping',
    met: oursPerS <= 1.2 * peerPerS,
  },
]);
