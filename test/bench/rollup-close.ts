// The minute close at 10,000 servers: SIP, ICMP and TCP connect every 5 s (6,000 samples a
// second), flushed once a second through the samples repository into a fresh file opened as the
// app opens it. Once a minute a flush closes the minute before last (rollups written, watermark
// moved). Ours: the writer takes the closing minute's rollups from what it kept in memory as it
// wrote the rows (open-rollups.ts). Peer, same code in the same run: the writer reading each
// minute back from its raw rows, as it did before (`keepOpenRollups: false`). Runs alternate so
// drift hits both alike. Reported: the close flushes' wall time, every flush's
// p99, and the CPU of the whole run. A third run writes the same batches with no close of their
// own and closes in steps of DEFAULT_CLOSE_SLICE series, each its own transaction, as the sample
// writer drives it (samples-rollups.ts): reported, the longest step and the steps a close took,
// against the close in one piece.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { DEFAULT_CLOSE_SLICE } from '../../src/services/probes/sample-writer';
import { emit, fmt, hasFlag, log, median, percentile } from './lib/report';

const SERVERS = 10_000;
const SECONDS = hasFlag('short') ? 140 : 200;
const ROUNDS = hasFlag('short') ? 1 : 2;
// Half a minute before a minute starts: the first close (at 15 s past the next minute) rolls up
// half a minute, the later ones whole minutes; one of them crosses an hour.
const T0 = Date.UTC(2026, 0, 1, 11, 58, 30);
const dir = path.resolve('.tmp/bench/rollup-close');
const ids = Array.from({ length: SERVERS }, () => randomUUID());

function batchOf(second: number): Sample[] {
  const batch: Sample[] = [];
  // A fifth of the fleet each second (5 s interval), spread over the second.
  for (let i = second % 5; i < SERVERS; i += 5) {
    const at = T0 + second * 1_000 + (i % 1_000);
    const n = second * SERVERS + i;
    const id = ids[i] ?? '';
    batch.push(
      n % 97 === 0
        ? { serverId: id, kind: 'sip-udp', at, rttMs: null }
        : { serverId: id, kind: 'sip-udp', at, rttMs: 0.2 + ((n * 7919) % 4000) / 100, code: n % 50 === 0 ? 503 : 200 },
    );
    batch.push({ serverId: id, kind: 'icmp', at, rttMs: n % 89 === 0 ? null : 0.05 + ((n * 104729) % 3000) / 100 });
    batch.push({ serverId: id, kind: 'tcp', at, rttMs: n % 3 === 0 ? null : 0.05 + ((n * 31) % 900) / 100 });
  }
  return batch;
}

interface Run {
  closes: number[];
  p99: number;
  cpuMs: number;
}

function run(name: string, readBack: boolean): Run {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  migrate(db, file, Date.now);
  const repo = createSamplesRepo(db, { now: () => T0, keepOpenRollups: !readBack });
  const mark = db.prepare('SELECT closed_before FROM probe_rollup_mark').pluck();
  const flushes: number[] = [];
  const closes: number[] = [];
  const batches = Array.from({ length: SECONDS }, (_, s) => batchOf(s));
  const cpu = process.cpuUsage();
  for (const batch of batches) {
    const before = mark.get();
    const started = performance.now();
    repo.insertBatch(batch);
    const ms = performance.now() - started;
    flushes.push(ms);
    if (mark.get() !== before) closes.push(ms);
  }
  const used = process.cpuUsage(cpu);
  db.close();
  return { closes, p99: percentile(flushes, 0.99), cpuMs: (used.user + used.system) / 1000 };
}

interface SlicedRun {
  /** Every close step's wall time, ms. */
  steps: number[];
  /** Steps per close, and each close's total. */
  closes: { steps: number; ms: number }[];
  p99: number;
  cpuMs: number;
}

function runSliced(name: string): SlicedRun {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  migrate(db, file, Date.now);
  const repo = createSamplesRepo(db, { now: () => T0 });
  const flushes: number[] = [];
  const steps: number[] = [];
  const closes: { steps: number; ms: number }[] = [];
  const batches = Array.from({ length: SECONDS }, (_, s) => batchOf(s));
  const cpu = process.cpuUsage();
  for (const batch of batches) {
    const started = performance.now();
    repo.insertBatch(batch, 0);
    flushes.push(performance.now() - started);
    let n = 0;
    let total = 0;
    for (let more = true; more;) {
      const at = performance.now();
      more = repo.closeSome(DEFAULT_CLOSE_SLICE);
      const ms = performance.now() - at;
      if (!more && n === 0 && ms < 0.2) break;
      steps.push(ms);
      n += 1;
      total += ms;
    }
    if (n > 1) closes.push({ steps: n, ms: total });
  }
  const used = process.cpuUsage(cpu);
  db.close();
  return { steps, closes, p99: percentile(flushes, 0.99), cpuMs: (used.user + used.system) / 1000 };
}

const ours: Run[] = [];
const peer: Run[] = [];
log(
  `rollup-close: ${SERVERS.toLocaleString('en-US')} servers × 3 kinds at 5 s, ${SECONDS} flushes a run, ${ROUNDS} round(s); load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const sliced: SlicedRun[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  ours.push(run('kept', false));
  peer.push(run('read-back', true));
  sliced.push(runSliced('sliced'));
  const o = ours.at(-1) as Run;
  const p = peer.at(-1) as Run;
  const c = sliced.at(-1) as SlicedRun;
  log(
    `  round ${round + 1}: closes kept ${o.closes.map((c) => fmt(c, 0)).join(', ')} ms | read back ${p.closes.map((c) => fmt(c, 0)).join(', ')} ms`,
  );
  log(
    `    in steps of ${DEFAULT_CLOSE_SLICE} series: closes ${c.closes.map((x) => `${x.steps} steps ${fmt(x.ms, 0)} ms`).join(', ')}; ` +
      `step p50 ${fmt(percentile(c.steps, 0.5), 2)} ms, p99 ${fmt(percentile(c.steps, 0.99), 2)}, max ${fmt(Math.max(...c.steps), 2)}; flush p99 ${fmt(c.p99, 1)} ms`,
  );
}
log(
  `load after ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const closeOf = (runs: Run[]) => median(runs.flatMap((r) => r.closes.slice(1)));
const worst = (runs: Run[]) => Math.max(...runs.flatMap((r) => r.closes));
const oursClose = closeOf(ours);
const peerClose = closeOf(peer);
emit([
  {
    benchmark: 'Minute close, 10,000 servers × SIP, ICMP, TCP at 5 s (`rollup-close`)',
    measure: 'ms the closing flush takes, median of whole-minute closes (worst)',
    ours: `${fmt(oursClose, 0)} (${fmt(worst(ours), 0)})`,
    peer: `${fmt(peerClose, 0)} (${fmt(worst(peer), 0)}) (minutes read back, same code)`,
    ratio: `${fmt(oursClose / peerClose)} ×`,
    goal: 'reported',
    met: null,
  },
  {
    benchmark: `Minute close in steps of ${DEFAULT_CLOSE_SLICE} series, same fleet (each step its own transaction)`,
    measure: 'ms the longest step takes (p99 of steps) / steps per whole-minute close / CPU s of the run',
    ours: `${fmt(Math.max(...sliced.flatMap((r) => r.steps)), 1)} (${fmt(
      percentile(
        sliced.flatMap((r) => r.steps),
        0.99,
      ),
      1,
    )}) / ${fmt(
      median(sliced.flatMap((r) => r.closes.slice(1).map((c) => c.steps))),
      0,
    )} / ${fmt(median(sliced.map((r) => r.cpuMs)) / 1000, 1)}`,
    peer: `${fmt(oursClose, 0)} (the close in one transaction, above)`,
    ratio: '—',
    goal: '< 5 ms a step',
    met: Math.max(...sliced.flatMap((r) => r.steps)) < 5,
  },
  {
    benchmark: 'Minute close, same run',
    measure: 'ms p99 of every flush / CPU s of the run',
    ours: `${fmt(median(ours.map((r) => r.p99)), 0)} / ${fmt(median(ours.map((r) => r.cpuMs)) / 1000, 1)}`,
    peer: `${fmt(median(peer.map((r) => r.p99)), 0)} / ${fmt(median(peer.map((r) => r.cpuMs)) / 1000, 1)}`,
    ratio: `${fmt(median(ours.map((r) => r.cpuMs)) / median(peer.map((r) => r.cpuMs)))} × CPU`,
    goal: 'reported',
    met: null,
  },
]);
