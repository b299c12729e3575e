// The sample writer on a real store: a second of a large fleet goes in as several small
// transactions, and still every sample is stored once, in order, with rollups that match the raw
// rows through a minute's close; a stop in the middle of a tick's slices writes the rest before
// it returns; and what a slice committed survives the process being killed right after it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { SampleWriter } from '../../src/services/probes/sample-writer';
import { openDatabase } from '../../src/services/store/database';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { steppedClock } from '../helpers/stepped-clock';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const T0 = Date.UTC(2026, 0, 1, 10);
const SERVERS = 400;

/** One second of probes: every server once, a loss every 17th. */
function second(s: number): Sample[] {
  return Array.from({ length: SERVERS }, (_, i) => {
    const n = s * SERVERS + i;
    const rttMs = n % 17 === 0 ? null : 1 + (n % 50) / 10;
    return { serverId: `s${i}`, kind: 'sip-udp', at: T0 + s * 1_000 + i, rttMs, ...(rttMs === null ? {} : { code: 200 }) };
  });
}

describe('sample writer on the store', () => {
  it('stores every sample once and in order, in slices, with rollups equal to the raw rows across a minute close', () => {
    const store = openStore({ file: path.join(tempDir(), 'w.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 });
    const slices: number[] = [];
    const { clock, fire, turns } = steppedClock();
    const writer = new SampleWriter({ sink: { insertBatch: (b) => (slices.push(b.length), repo.insertBatch(b)) }, clock, maxBatch: 150 });
    writer.start();
    // 100 s: the first minute closes (15 s grace) inside one of the slices.
    for (let s = 0; s < 100; s += 1) {
      for (const sample of second(s)) writer.add(sample);
      turns();
      fire();
      turns();
    }
    writer.close();
    expect(Math.max(...slices)).toBeLessThanOrEqual(150);
    expect(slices.length).toBeGreaterThan(100);
    expect(writer.written).toBe(100 * SERVERS);
    const raw = store.db.prepare('SELECT count(*) FROM probe_raw').pluck().get();
    expect(raw).toBe(100 * SERVERS);
    for (const i of [0, 199, 399]) {
      const ats = repo
        .recent(`s${i}`, 'sip-udp', 1_000)
        .map((x) => x.at)
        .reverse();
      expect(ats).toEqual(Array.from({ length: 100 }, (_, s) => T0 + s * 1_000 + i));
    }
    // The closed minute's rollups hold exactly the raw rows before the watermark.
    const mark = Number(store.db.prepare('SELECT closed_before FROM probe_rollup_mark').pluck().get());
    expect(mark).toBe(T0 + 60_000);
    const below = store.db.prepare('SELECT count(*) AS n, sum(rtt_us IS NULL) AS lost FROM probe_raw WHERE at < ?').get(mark);
    const minute = store.db.prepare('SELECT sum(count) AS n, sum(lost) AS lost FROM probe_minute').get();
    const hour = store.db.prepare('SELECT sum(count) AS n, sum(lost) AS lost FROM probe_hour').get();
    expect(minute).toEqual(below);
    expect(hour).toEqual(below);
    store.close();
  });

  it('writes the rest of a tick on stop, in the middle of its slices', () => {
    const store = openStore({ file: path.join(tempDir(), 'stop.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 });
    const { clock, fire } = steppedClock();
    const writer = new SampleWriter({ sink: repo, clock, maxBatch: 100 });
    const samples = [...second(0), ...second(1)];
    writer.start();
    for (const sample of samples) writer.add(sample);
    // The tick writes its first slice and plans the next; the host stops before that turn.
    fire();
    expect(store.db.prepare('SELECT count(*) FROM probe_raw').pluck().get()).toBeLessThan(samples.length);
    writer.close();
    expect(store.db.prepare('SELECT count(*) FROM probe_raw').pluck().get()).toBe(samples.length);
    expect(writer.written).toBe(samples.length);
    store.close();
  });

  it('keeps what a slice committed when the process is killed right after', () => {
    const file = path.join(tempDir(), 'kill.db');
    openStore({ file }).close();
    // The child writes 1,000 samples through the writer (slices of 100), prints how many were
    // written once the first slices committed, and kills itself with SIGKILL mid-drain.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
        import { SampleWriter } from ${JSON.stringify(path.resolve('src/services/probes/sample-writer.ts'))};
        import { openDatabase } from ${JSON.stringify(path.resolve('src/services/store/database.ts'))};
        import { createSamplesRepo } from ${JSON.stringify(path.resolve('src/services/store/samples-repo.ts'))};
        const repo = createSamplesRepo(openDatabase(${JSON.stringify(file)}));
        const timers = [];
        const clock = { now: () => 0, elapsedMs: () => 0, setTimer: (fn) => (timers.push(fn), { id: timers.length }), clearTimer: () => {} };
        const writer = new SampleWriter({ sink: repo, clock, maxBatch: 100 });
        for (let i = 0; i < 1000; i += 1) writer.add({ serverId: 's' + (i % 10), kind: 'icmp', at: ${T0} + i, rttMs: 1 });
        for (let turn = 0; turn < 3; turn += 1) timers.shift()();
        process.stdout.write(String(writer.written));
        process.kill(process.pid, 'SIGKILL');
        `,
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    const written = Number(child.stdout);
    expect(written).toBeGreaterThanOrEqual(200);
    expect(written).toBeLessThan(1_000);
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) FROM probe_raw').pluck().get()).toBe(written);
    db.close();
  });
});
