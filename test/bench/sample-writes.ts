// The host's sample writes at 10,000 servers over the first twenty minutes, the quarter-hour seal
// included, which the fleet-10k windows (30 s after start, 7 minutes in) never reach.
//
// It replays what `serve` writes for 10,000 servers × SIP, ICMP and TCP connect every 5 s: 6,000
// samples a simulated second, in the order the scheduler's slots make them, stored by the samples
// repository in slices of the sample writer's DEFAULT_SLICE with closeSome between seconds (as the
// writer closes minutes), into a fresh file opened as the app opens it. The clock is simulated, so
// twenty minutes take a few minutes. CPU of this process per simulated second, by phase:
// minutes 1–15 (the raw head filling, minute rollups closing) and 16–20 (the first quarter hour of
// every series sealed into chunks while writes go on).
//
// The peer: the same samples in the same slices as one prepared INSERT each into a plain row table
// keyed (series, time), as the raw head was before migration 022, no rollups, no chunks: what
// storing them at all costs.
//
//   npm run bench -- sample-writes            (--minutes M above 15, default 20; --servers N, default 10,000)
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from '../../src/domain/monitoring/sample';
import { DEFAULT_CLOSE_SLICE, DEFAULT_SLICE } from '../../src/services/probes/sample-writer';
import type { Db } from '../../src/services/store/database';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { emit, flag, fmt, hasFlag, log } from './lib/report';
import { freshDb, peerTable, rowWriter } from './lib/row-peer';

const N = Number(flag('servers') ?? 10_000);
const MINUTES = Number(flag('minutes') ?? (hasFlag('short') ? 17 : 20));
if (!Number.isInteger(MINUTES) || MINUTES <= 15) throw new Error('--minutes must be a whole number above 15: the seal begins at minute 16');
const SEAL_FROM = 15;
const T0 = Date.UTC(2026, 11, 4, 0, 0, 0);
const dir = path.resolve('.tmp/bench/sample-writes');

/** The samples of simulated second `sec`: the fifth of the fleet whose slot falls in it, every kind. */
function second(sec: number, random: () => number): Sample[] {
  const perSecond = N / 5;
  const out: Sample[] = [];
  for (let j = 0; j < perSecond; j += 1) {
    const i = (sec % 5) * perSecond + j;
    const at = T0 + sec * 1000 + Math.floor((j * 1000) / perSecond) + Math.floor(random() * 3);
    const base = 0.04 + (i % 50) / 1000;
    out.push({ serverId: `srv-${i}`, kind: 'sip-udp', at, rttMs: base + random() * 0.03, code: 200 });
    out.push({ serverId: `srv-${i}`, kind: 'icmp', at, rttMs: base / 2 + random() * 0.02 });
    out.push({ serverId: `srv-${i}`, kind: 'tcp', at, rttMs: null });
  }
  return out;
}

interface Phases {
  filling: number;
  sealing: number;
}

/** `write` makes the store's writer of one simulated second's samples. */
function run(name: string, write: (db: Db) => (samples: readonly Sample[], now: number) => void): Phases {
  const db = freshDb(dir, `${name}.db`);
  const store = write(db);
  let seed = 17;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const cpu = { filling: 0, sealing: 0 };
  for (let sec = 0; sec < MINUTES * 60; sec += 1) {
    const samples = second(sec, random);
    const now = T0 + (sec + 1) * 1000;
    const c0 = process.cpuUsage();
    store(samples, now);
    const c = process.cpuUsage(c0);
    cpu[sec < SEAL_FROM * 60 ? 'filling' : 'sealing'] += (c.user + c.system) / 1000;
    if ((sec + 1) % 300 === 0) log(`  ${name}: ${(sec + 1) / 60} simulated minutes`);
  }
  db.close();
  return { filling: cpu.filling / (SEAL_FROM * 60), sealing: cpu.sealing / Math.max(1, (MINUTES - SEAL_FROM) * 60) };
}

const ours = run('ours', (db) => {
  let now = T0;
  const repo = createSamplesRepo(db, { now: () => now });
  return (samples, at) => {
    now = at;
    for (let k = 0; k < samples.length; k += DEFAULT_SLICE) repo.insertBatch(samples.slice(k, k + DEFAULT_SLICE), 0);
    // The writer's close steps, DEFAULT_CLOSE_SLICE series each, until the minute is closed.
    for (let step = 0; step < 1_000 && repo.closeSome(DEFAULT_CLOSE_SLICE); step += 1);
  };
});

const peer = run('peer', (db) => {
  const write = rowWriter(db, peerTable(db));
  return (samples) => {
    for (let k = 0; k < samples.length; k += DEFAULT_SLICE) write(samples.slice(k, k + DEFAULT_SLICE));
  };
});
rmSync(dir, { recursive: true, force: true });

log(
  `sample-writes: ours ${fmt(ours.filling, 1)} / ${fmt(ours.sealing, 1)} ms a second, peer ${fmt(peer.filling, 1)} / ${fmt(peer.sealing, 1)}`,
);
emit([
  {
    benchmark: `Sample writes at ${N.toLocaleString('en')} servers × SIP, ICMP and TCP every 5 s, replayed (${MINUTES} simulated minutes)`,
    measure: `CPU ms per simulated second of samples: minutes 1–${SEAL_FROM} (head filling) / ${SEAL_FROM + 1}–${MINUTES} (first quarter hour sealed into chunks)`,
    ours: `${fmt(ours.filling, 1)} / ${fmt(ours.sealing, 1)}`,
    peer: `${fmt(peer.filling, 1)} / ${fmt(peer.sealing, 1)} (prepared INSERT of the same rows, no rollups or chunks)`,
    ratio: `${fmt(ours.filling / peer.filling)} × / ${fmt(ours.sealing / peer.sealing)} ×`,
    goal: 'reported',
    met: null,
  },
]);
