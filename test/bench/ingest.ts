// Ingest with rollups: the samples repository's insertBatch (raw rows plus per-minute and
// per-hour rollups, one transaction per flush) against a bare better-sqlite3 prepared INSERT of
// the same rows into a plain row table keyed (series, at), one transaction per flush, no rollups. Both write to a
// fresh file opened exactly as the app opens it (WAL, synchronous=NORMAL, all migrations).
//
// The shape is the live one at its busiest: 1,000 servers probed every second over SIP and ICMP,
// flushed once a second, so each batch is 2,000 samples of one second and every minute bucket is
// touched by sixty flushes. Runs alternate (ours, peer, ours, peer …) so drift hits both alike.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from '../../src/domain/monitoring/sample';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { emit, fmt, hasFlag, log, median } from './lib/report';
import { freshDb as freshStoreDb, peerTable, rowWriter } from './lib/row-peer';

const SERVERS = 1_000;
const SECONDS = hasFlag('short') ? 60 : 180;
const ROUNDS = hasFlag('short') ? 2 : 3;
// A minute before a 15-minute boundary: in the full run the rollup watermark passes 12:00, so the
// first minute's rows of all 2,000 series are packed into chunks within the run (samples-chunks.ts),
// and what packing costs is in the figure.
const T0 = Date.UTC(2026, 0, 1, 11, 59);
const dir = path.resolve('.tmp/bench/ingest');

function makeBatches(): Sample[][] {
  const ids = Array.from({ length: SERVERS }, () => randomUUID());
  const batches: Sample[][] = [];
  let n = 0;
  for (let s = 0; s < SECONDS; s += 1) {
    const batch: Sample[] = [];
    for (let i = 0; i < SERVERS; i += 1) {
      // Probes are spread over the second, as the scheduler spreads them.
      const at = T0 + s * 1_000 + i;
      const id = ids[i] ?? '';
      n += 1;
      const lost = n % 97 === 0;
      batch.push(
        lost
          ? { serverId: id, kind: 'sip-udp', at, rttMs: null }
          : { serverId: id, kind: 'sip-udp', at, rttMs: 0.2 + ((n * 7919) % 4000) / 100, code: n % 50 === 0 ? 503 : 200 },
      );
      batch.push({ serverId: id, kind: 'icmp', at, rttMs: n % 89 === 0 ? null : 0.05 + ((n * 104729) % 3000) / 100 });
    }
    batches.push(batch);
  }
  return batches;
}

function freshDb(name: string) {
  return freshStoreDb(dir, name);
}

function runOurs(batches: Sample[][]): number {
  const db = freshDb('ours.db');
  const repo = createSamplesRepo(db, { now: () => T0 + SECONDS * 1_000 });
  const started = performance.now();
  let stored = 0;
  for (const batch of batches) stored += repo.insertBatch(batch);
  const ms = performance.now() - started;
  const expected = batches.length * SERVERS * 2;
  const minuteCount = db.prepare('SELECT sum(count) FROM probe_rollup_minute').pluck().get();
  db.close();
  if (stored !== expected || minuteCount !== expected)
    throw new Error(`ours stored ${stored} (rollups ${String(minuteCount)}), expected ${expected}`);
  return ms;
}

function runPeer(batches: Sample[][]): number {
  const db = freshDb('peer.db');
  const write = rowWriter(db, peerTable(db));
  const started = performance.now();
  for (const batch of batches) write(batch);
  const ms = performance.now() - started;
  db.close();
  return ms;
}

const batches = makeBatches();
const total = batches.length * SERVERS * 2;
log(`ingest: ${fmt(total, 0)} samples in ${batches.length} batches of ${SERVERS * 2}, ${ROUNDS} rounds each`);
const ours: number[] = [];
const peer: number[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  ours.push(runOurs(batches));
  peer.push(runPeer(batches));
  log(`  round ${r + 1}: ours ${fmt(ours.at(-1) ?? 0, 0)} ms, peer ${fmt(peer.at(-1) ?? 0, 0)} ms`);
}
rmSync(dir, { recursive: true, force: true });
const oursRate = total / (median(ours) / 1_000);
const peerRate = total / (median(peer) / 1_000);
const share = oursRate / peerRate;
emit([
  {
    benchmark: 'Ingest with rollups',
    measure: 'samples/s (median of rounds)',
    ours: fmt(oursRate, 0),
    peer: fmt(peerRate, 0),
    ratio: `${fmt(share * 100, 0)} % of raw`,
    goal: '≥ 50 % of raw and ≥ 200,000/s',
    met: share >= 0.5 && oursRate >= 200_000,
  },
]);
