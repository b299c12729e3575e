// Where `switchyard serve` spends its time at 10,000 servers: the fleet-10k setting (a namespace
// holding only `lo`, a SIPp UAS answering every 127/8 address, 10,000 servers imported from CSV,
// the default 5 s interval), with the host started under `node --cpu-prof`. After the settle time
// it measures a window (host CPU, node + fping, as fleet-10k-run.ts does), stops the host and prints
// the functions and files holding the most self time inside that window. Not part of `npm run
// bench`: run it directly, as root,
//
//   node --import tsx test/bench/fleet-10k-profile.ts [--seconds 30] [--settle 20] [--out DIR]
//
// Then the late wakes: every SIP wake of the window is read back from the host's file (as
// fleet-10k-run.ts reads them), and for each one at least --late ms late (default 3) the profile's
// samples between when it was due and when it ran say what held the loop (the minute close, the
// slices' sealing and packing, GC, pushes, polls …): per area, the wakes it held most and the time.
// --interval sets the sampling interval in µs (default 500).
//
// The profile file stays in DIR (default .tmp/bench/fleet-10k-profile) for Chrome DevTools. The host
// also runs with `--trace-gc`: the collections inside the window are counted and the bytes promoted
// and allocated estimated from them (lib/gc-trace.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { parseGcLine, summariseGc, type GcEvent } from './lib/gc-trace';
import { lateness } from './lib/sample-timing';
import { DEFAULT_GATHER_MS } from '../../src/services/probes/scheduler';
import { decodeChunk } from '../../src/services/store/sample-chunk-codec';
import { CHUNK_MS } from '../../src/services/store/samples-chunks';
import { KIND_CODE } from '../../src/services/store/sample-kinds';
import { createLoopbackNetns, processCpuSeconds } from './lib/netns';
import { flag, fmt, log } from './lib/report';
import { sleep, start, type Running } from './lib/spawn';

const N = Number(flag('servers') ?? 10_000);
const WINDOW_S = Number(flag('seconds') ?? 30);
const SETTLE_S = Number(flag('settle') ?? 20);
const ROOT = path.resolve('.');
const OUT = path.resolve(flag('out') ?? '.tmp/bench/fleet-10k-profile');
const BIN = path.join(ROOT, 'bin/switchyard.js');
const SIP_KIND = KIND_CODE['sip-udp'];
const target = (i: number) => `127.${1 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const treeCpu = (pid: number) => childrenOf(pid).reduce((sum, child) => sum + processCpuSeconds(child, true), processCpuSeconds(pid, true));

/** Where a sample's time is charged: the first of these (in this order) with a frame on its stack. */
const AREAS: [string, RegExp][] = [
  ['load poll (SSH)', /services\/(actions\/load-poller|ssh\/|uac\/|calls\/)|calls-dispatcher-wiring|node_modules\/ssh2/],
  ['alerts', /services\/alerts\/|alerts-repo|alert-deliveries-repo/],
  ['sample writes', /sample-writer|samples-repo|samples-rollups|samples-chunks|open-rollups|rollup-block|sample-chunk-codec/],
  ['monitoring (status, live state, pushes)', /services\/monitoring\/|domain\/monitoring\/status|monitoring-wiring/],
  ['TCP connect probe', /probes\/tcp-connect/],
  ['SIP probe', /probes\/sip-|domain\/sip\//],
  ['ICMP probe (fping output)', /probes\/(icmp|fping)/],
  ['scheduler', /probes\/(scheduler|clock)|slot-plan/],
  ['web host and pushes', /src\/host\/web|event-bus|contract\//],
  ['store (other)', /services\/store\//],
  ['host (other)', /\/src\//],
];

/**
 * Parts of the sample writes told apart by a function on the stack, ahead of AREAS: the minute's
 * close (once a minute) and the sealing and packing each slice does.
 */
const WRITE_PARTS: [string, RegExp][] = [
  ['sample writes: minute close', /^closeUpTo$/],
  ['sample writes: seal and pack', /^(sealSome|packSome)$/],
];

/** The area a sample's stack is charged to: GC, a part of the sample writes, else the first of AREAS. */
function areaClassifier(profile: CpuProfile): (node: ProfileNode) => string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  return (node) => {
    const known = memo.get(node.id);
    if (known !== undefined) return known;
    let area: string;
    if (node.callFrame.functionName === '(garbage collector)') area = 'garbage collector';
    else {
      let rank = AREAS.length;
      let part: string | null = null;
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id)?.callFrame;
        if (!frame) continue;
        const found = AREAS.findIndex(([, re]) => re.test(frame.url));
        if (found >= 0 && found < rank) rank = found;
        part ??= WRITE_PARTS.find(([, re]) => re.test(frame.functionName))?.[0] ?? null;
      }
      area = AREAS[rank]?.[0] ?? 'other';
      if (part && area === 'sample writes') area = part;
    }
    memo.set(node.id, area);
    return area;
  };
}

/**
 * What ran while wakes were late. `wakes` are the SIP wakes' times (UTC ms, as stored) with their
 * lateness; `offsetUs` turns UTC µs into the profile's clock. For each wake late by at least
 * `minMs`, the profile's samples between when it was due and when it ran are charged to areas:
 * the summed time per area, and per area how many late wakes it held for the larger share.
 */
function lateWakes(profile: CpuProfile, wakes: readonly [at: number, lateMs: number][], offsetUs: number, minMs: number): void {
  const areaOf = areaClassifier(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Sample end times on the profile clock, for a binary search per wake.
  const times: number[] = [];
  for (let i = 0, t = profile.startTime; i < profile.samples.length; i += 1) times.push((t += profile.timeDeltas[i] ?? 0));
  const late = wakes.filter(([, ms]) => ms >= minMs);
  const summed = new Map<string, number>();
  const led = new Map<string, number>();
  const examples: string[] = [];
  for (const [at, ms] of late) {
    const to = at * 1000 - offsetUs;
    const from = to - ms * 1000;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    const here = new Map<string, number>();
    // A sample is charged the time up to the next one (what the profiler measured it to hold).
    for (let i = lo; i < times.length && (times[i] as number) <= to; i += 1) {
      const node = byId.get(profile.samples[i] ?? -1);
      if (!node) continue;
      const dt = (times[i + 1] ?? to) - (times[i] as number);
      const area =
        node.callFrame.functionName === '(idle)' ? 'idle' : node.callFrame.functionName === '(program)' ? '(program)' : areaOf(node);
      here.set(area, (here.get(area) ?? 0) + dt);
    }
    const top = [...here].sort((a, b) => b[1] - a[1]);
    const lead = top[0]?.[0] ?? '(no sample)';
    led.set(lead, (led.get(lead) ?? 0) + 1);
    for (const [k, v] of here) summed.set(k, (summed.get(k) ?? 0) + v);
    if (examples.length < 12 || ms >= 20)
      examples.push(
        `    ${new Date(at).toISOString().slice(11, 23)} late ${fmt(ms, 0).padStart(3)} ms: ${top
          .slice(0, 4)
          .map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`)
          .join(', ')}`,
      );
  }
  log(`
late wakes (>= ${minMs} ms): ${late.length} of ${wakes.length}; what ran between due and wake (profile samples)`);
  log('  area holding the larger share, wakes:');
  for (const [k, n] of [...led].sort((a, b) => b[1] - a[1])) log(`    ${String(n).padStart(5)}  ${k}`);
  log('  time summed over those wakes:');
  for (const [k, v] of [...summed].sort((a, b) => b[1] - a[1])) log(`    ${fmt(v / 1000, 1).padStart(8)} ms  ${k}`);
  log('  wakes (the first few, and every one 20 ms late or more):');
  for (const line of examples.slice(0, 60)) log(line);
}

/** The SIP wakes in [from, to) (UTC ms) and their lateness, read from the host's file (raw rows and chunks). */
function sipWakes(dbFile: string, from: number, to: number): [at: number, lateMs: number][] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const sip = new Set(db.prepare("SELECT id FROM probe_series WHERE source = 'local' AND kind = ?").pluck().all(SIP_KIND) as number[]);
    const ats = new Set<number>();
    for (const [id, at] of db.prepare('SELECT series, at FROM probe_raw WHERE at >= ? AND at < ?').raw().all(from, to) as [
      number,
      number,
    ][])
      if (sip.has(id)) ats.add(at);
    for (const [id, startAt, data] of db
      .prepare('SELECT series, start, data FROM probe_chunk WHERE start > ? AND start < ?')
      .raw()
      .all(from - CHUNK_MS, to) as [number, number, Uint8Array][]) {
      if (!sip.has(id)) continue;
      const cols = decodeChunk(startAt, data);
      for (const at of cols.at) if (at >= from && at < to) ats.add(at);
    }
    const sorted = [...ats].sort((a, b) => a - b);
    const late = lateness(sorted, DEFAULT_GATHER_MS);
    return sorted.slice(1).map((at, i) => [at, late[i] as number]);
  } finally {
    db.close();
  }
}

/** Self time per function and per file for samples between `from` and `to` (µs, the profile's clock). */
function summarise(profile: CpuProfile, from: number, to: number, top = 40): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  const short = (url: string) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    const key = `${name} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    selfFn.set(key, (selfFn.get(key) ?? 0) + dt);
    const file = short(node.callFrame.url) || `(${name})`;
    selfFile.set(file, (selfFile.get(file) ?? 0) + dt);
    // Inclusive time per function of ours (src/), each counted once per sample.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (!n || !n.callFrame.url.includes('/src/')) continue;
      const k = `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  log(`\nby area (the first in AREAS of those on each sample's stack; "other" has no frame of ours)`);
  const areaOf = areaClassifier(profile);
  const areas = new Map<string, number>();
  const others = new Map<string, number>();
  for (let i = 0, at = profile.startTime; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0));
    if (area === 'other') {
      const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')}`;
      others.set(key, (others.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  const span = (to - from) / 1e6;
  for (const [k, v] of [...areas].sort((a, b) => b[1] - a[1])) log(`  ${fmt(v / 1000 / span, 1).padStart(7)} ms/s  ${k}`);
  stretches(profile, from, to, areaOf);
  log('  "other", by function:');
  for (const [k, v] of [...others].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`    ${fmt(v / 1000 / span, 1).padStart(7)} ms/s  ${k}`);
  const seconds = (to - from) / 1e6;
  const show = (title: string, m: Map<string, number>) => {
    log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      log(`  ${fmt(v / 1000 / seconds, 1).padStart(7)} ms/s  ${fmt((100 * v) / total, 1).padStart(5)} %  ${k}`);
    }
  };
  log(`\nmain thread busy ${fmt(total / 1000 / seconds, 0)} ms/s, idle ${fmt(idle / 1000 / seconds, 0)} ms/s over ${fmt(seconds, 1)} s`);
  show('self time by function', selfFn);
  show('self time by file', selfFile);
  show('inclusive time, functions under src/', inclusive);
}

/**
 * The stretches the main thread ran without going idle (what delays a timer), from the samples
 * in the window: how many passed 5 and 20 ms, the longest, and what the five longest were spent on.
 */
function stretches(profile: CpuProfile, from: number, to: number, areaOf: (node: ProfileNode) => string): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const runs: { us: number; areas: Map<string, number> }[] = [];
  let run: { us: number; areas: Map<string, number> } | null = null;
  for (let i = 0, at = profile.startTime; i < profile.samples.length; i += 1) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) continue;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node || node.callFrame.functionName === '(idle)') {
      if (run) runs.push(run);
      run = null;
      continue;
    }
    run ??= { us: 0, areas: new Map() };
    run.us += dt;
    const area = areaOf(node);
    run.areas.set(area, (run.areas.get(area) ?? 0) + dt);
  }
  if (run) runs.push(run);
  runs.sort((a, b) => b.us - a.us);
  const over = (ms: number) => runs.filter((r) => r.us > ms * 1000).length;
  const seconds = (to - from) / 1e6;
  log(
    `\nbusy stretches (no idle sample between): ${fmt(over(5) / seconds, 2)}/s over 5 ms, ${fmt(over(20) / seconds, 2)}/s over 20 ms, ` +
      `longest ${fmt((runs[0]?.us ?? 0) / 1000, 1)} ms`,
  );
  for (const r of runs.slice(0, 5)) {
    const parts = [...r.areas].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`);
    log(`  ${fmt(r.us / 1000, 1).padStart(7)} ms: ${parts.join(', ')}`);
  }
}

const existing = flag('analyse');
if (existing !== undefined) {
  // Only the analysis, of a profile written before: the window is given in seconds from its start.
  const profile = JSON.parse(readFileSync(existing, 'utf8')) as CpuProfile;
  const skip = Number(flag('from') ?? 20) * 1e6;
  summarise(profile, profile.startTime + skip, profile.startTime + skip + WINDOW_S * 1e6);
  process.exit(0);
}

const ns = createLoopbackNetns('fleet10kprof');
const inNs = (argv: string[]) => [...ns.exec, ...argv];
const uas = start(inNs(['sipp', '-sf', path.join(ROOT, 'test/bench/sipp/options-uas.xml'), '-i', '0.0.0.0', '-p', '5060', '-nostdin']));
const dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-fleet10k-prof-'));
let serve: Running | null = null;
try {
  mkdirSync(OUT, { recursive: true });
  const csv = ['kind,ip,alias,type,zone'];
  for (let i = 0; i < N; i += 1) csv.push(`server,${target(i)},sw-${String(i).padStart(5, '0')},switch,zone-${i % 8}`);
  const csvFile = path.join(dataDir, 'fleet.csv');
  await writeFile(csvFile, `${csv.join('\n')}\n`);
  execFileSync(process.execPath, [BIN, 'fleet', 'import', csvFile, '--data', dataDir], { stdio: 'ignore' });
  const spawnedAt = Date.now();
  serve = start(
    inNs([
      process.execPath,
      '--cpu-prof',
      '--cpu-prof-interval',
      String(flag('interval') ?? 500),
      '--cpu-prof-dir',
      OUT,
      '--trace-gc',
      BIN,
      'serve',
      '--data',
      dataDir,
      '--port',
      '0',
    ]),
    // From the sources, not the minified bundle: the areas below are told apart by file name.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SWITCHYARD_CLI: process.env.SWITCHYARD_CLI ?? 'source' } },
  );
  // Each collection with the time it was read here (µs, the profile's clock).
  const gc: [number, GcEvent][] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: serve!.child.stdout! }).on('line', (line) => {
      const event = parseGcLine(line);
      if (event) gc.push([Number(process.hrtime.bigint() / 1000n), event]);
      else if (line.includes('listening on')) resolve();
    });
    void serve!.exited.then(() => reject(new Error('switchyard serve ended before listening')));
  });
  // `ip netns exec` execs node itself, so the spawned pid is the host's.
  const pid = serve.pid;
  log(`fleet-10k-profile: listening after ${Date.now() - spawnedAt} ms; settling ${SETTLE_S} s`);
  await sleep(SETTLE_S * 1000);
  const cpu0 = treeCpu(pid);
  const node0 = processCpuSeconds(pid);
  // V8's profile clock and process.hrtime are both CLOCK_MONOTONIC: the window in profile µs.
  const from = Number(process.hrtime.bigint() / 1000n);
  // UTC µs less profile µs: what places a stored sample time on the profile's clock.
  const offsetUs = Date.now() * 1000 - from;
  const wallFrom = Date.now();
  await sleep(WINDOW_S * 1000);
  const to = Number(process.hrtime.bigint() / 1000n);
  const wallTo = Date.now();
  const cpuS = treeCpu(pid) - cpu0;
  const nodeS = processCpuSeconds(pid) - node0;
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  log(
    `window ${WINDOW_S} s: host ${fmt((cpuS / WINDOW_S) * 1000, 0)} ms CPU/s (node ${fmt((nodeS / WINDOW_S) * 1000, 0)}); ` +
      `RSS node ${fmt(Number(rss) / 1024, 0)} MB (profiling on: figures above the bench's)`,
  );
  const g = summariseGc(
    gc.filter(([at]) => at >= from && at <= to).map(([, e]) => e),
    WINDOW_S,
  );
  log(
    `GC in the window: ${g.scavenges} scavenges, ${g.markCompacts} mark-compacts, pauses ${fmt(g.pauseMsPerS, 1)} ms/s ` +
      `(longest ${fmt(g.maxPauseMs, 1)} ms); promoted ~${fmt(g.promotedMbPerS, 2)} MB/s, allocated ~${fmt(g.allocatedMbPerS, 1)} MB/s`,
  );
  const before = new Set(readdirSync(OUT));
  serve.child.kill('SIGTERM');
  await serve.exited;
  serve = null;
  const written = readdirSync(OUT)
    .filter((f) => f.endsWith('.cpuprofile') && !before.has(f))
    .map((f) => path.join(OUT, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!written) throw new Error(`no profile written in ${OUT}`);
  const profile = JSON.parse(readFileSync(written, 'utf8')) as CpuProfile;
  summarise(profile, from, to);
  const wakes = sipWakes(path.join(dataDir, 'switchyard.db'), wallFrom, wallTo);
  const sorted = wakes.map(([, ms]) => ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  log(
    `\nwake lateness over ${wakes.length} SIP wakes: p50 ${fmt(at(0.5), 1)} ms, p90 ${fmt(at(0.9), 1)}, p99 ${fmt(at(0.99), 1)}, ` +
      `max ${fmt(sorted.at(-1) ?? 0, 0)}; ${sorted.filter((ms) => ms >= 5).length} wakes 5 ms late or more`,
  );
  lateWakes(profile, wakes, offsetUs, Number(flag('late') ?? 3));
  // What the alerts did meanwhile: raises are writes and notices, the first suspect after the polls.
  const db = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
  const alerts = db.prepare('SELECT kind, state, flapping, count(*) AS n FROM alerts GROUP BY kind, state, flapping').all();
  const notices = db.prepare('SELECT count(*) FROM alert_notices').pluck().get();
  db.close();
  log(`\nalerts at the end: ${JSON.stringify(alerts)}; notices ${String(notices)}`);
  log(`\nprofile: ${written}`);
} finally {
  if (serve) await serve.stop();
  await uas.stop();
  ns.remove();
  await rm(dataDir, { recursive: true, force: true });
}
