// The inside of the fleet-10k benchmark (fleet-10k.ts starts it in the namespace where SIPp
// answers). Prints progress on stderr and one JSON line of table rows on stdout.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fpingSpacingMs } from '../../src/services/probes/icmp-fping';
import { DEFAULT_GATHER_MS } from '../../src/services/probes/scheduler';
import { processCpuSeconds } from './lib/netns';
import { flag, fmt, log, percentile, type BenchRow } from './lib/report';
import { readWindow } from './lib/sample-timing';
import { sleep, start, type Running } from './lib/spawn';

const N = 10_000;
const short = process.argv.includes('--short');
const WINDOW_S = short ? 15 : 30;
const FAST_WINDOW_S = short ? 10 : 15;
/** When set, a second 5 s window once `serve` has run this long (load polls backed off). */
const STEADY_S = Number(flag('steady') ?? 0);
const SAMPLED = 200;
const ROOT = path.resolve('.');
const BIN = path.join(ROOT, 'bin/switchyard.js');

const target = (i: number) => `127.${1 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

/** The process and its children (fping), CPU seconds, from /proc. */
function treeCpu(pid: number): number {
  let total = processCpuSeconds(pid, true);
  for (const child of childrenOf(pid)) total += processCpuSeconds(child, true);
  return total;
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('cat', [`/proc/${pid}/task/${pid}/children`], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Api {
  call<T>(method: string, input: unknown): Promise<T>;
}

/**
 * The host's contract over HTTP, a fresh connection per call: a kept-alive one may be closed by
 * the host's idle timer just as the next call goes out (ECONNRESET), which a host busy loading
 * 10,000 servers makes likely.
 */
function apiOf(url: string): Api {
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    call<T>(method: string, input: unknown): Promise<T> {
      const body = JSON.stringify({ method, input });
      return new Promise<T>((resolve, reject) => {
        const req = http.request(
          `${parsed.origin}/api/call`,
          {
            method: 'POST',
            agent: false,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('error', reject);
            res.on('end', () => {
              try {
                const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; data?: T; error?: unknown };
                if (!reply.ok) reject(new Error(`${method}: ${JSON.stringify(reply.error)}`));
                else resolve(reply.data as T);
              } catch (error) {
                reject(error instanceof Error ? error : new Error(String(error)));
              }
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}

/**
 * What the window stored, read from the host's SQLite file in one pass (lib/sample-timing.ts):
 * wake lateness over every SIP wake of the fleet, the share of slots that got a sample and the
 * share answered, per kind.
 */
function slots(dataDir: string, from: number, to: number, intervalMs: number) {
  const window = readWindow(path.join(dataDir, 'switchyard.db'), from, to, DEFAULT_GATHER_MS);
  const expected = (N * (to - from)) / intervalMs;
  const of = (kind: 'sip-udp' | 'icmp') => window.kinds[kind] ?? { samples: 0, answered: 0, servers: 0 };
  const sip = of('sip-udp');
  const icmp = of('icmp');
  return {
    p99: percentile(window.wakeLateness, 0.99),
    max: Math.max(0, ...window.wakeLateness),
    wakes: window.wakeLateness.length + 1,
    sipKeptPct: (100 * sip.samples) / expected,
    icmpKeptPct: (100 * icmp.samples) / expected,
    sipAnsweredPct: (100 * sip.answered) / Math.max(1, sip.samples),
    icmpAnsweredPct: (100 * icmp.answered) / Math.max(1, icmp.samples),
  };
}

const describeSlots = (s: ReturnType<typeof slots>) =>
  `wake lateness p99 ${fmt(s.p99, 1)} ms (max ${fmt(s.max, 0)}, ${s.wakes} wakes); kept SIP ${fmt(s.sipKeptPct, 1)} % / ICMP ${fmt(s.icmpKeptPct, 1)} % of slots; ` +
  `answered SIP ${fmt(s.sipAnsweredPct, 1)} % / ICMP ${fmt(s.icmpAnsweredPct, 1)} %`;

const dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-fleet10k-'));
let serve: Running | null = null;
const rows: BenchRow[] = [];
try {
  const csv = ['kind,ip,alias,type,zone'];
  for (let i = 0; i < N; i += 1) csv.push(`server,${target(i)},sw-${String(i).padStart(5, '0')},switch,zone-${i % 8}`);
  const csvFile = path.join(dataDir, 'fleet.csv');
  await writeFile(csvFile, `${csv.join('\n')}\n`);

  log(`fleet-10k: importing ${N} servers from CSV with \`switchyard fleet import\` …`);
  const importStarted = performance.now();
  execFileSync(process.execPath, [BIN, 'fleet', 'import', csvFile, '--data', dataDir], { stdio: 'ignore' });
  const importS = (performance.now() - importStarted) / 1000;
  log(`  import: ${fmt(importS, 1)} s (CLI start-up included)`);

  const spawnedAt = Date.now();
  serve = start([process.execPath, BIN, 'serve', '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: serve!.child.stdout! });
    lines.on('line', (line) => {
      const m = /^Switchyard listening on (http:\/\/\S+)$/.exec(line.trim());
      if (m?.[1]) resolve(m[1]);
    });
    void serve!.exited.then(() => reject(new Error('switchyard serve ended before listening')));
  });
  const listeningMs = Date.now() - spawnedAt;
  const api = apiOf(url);
  const servers = await api.call<{ id: string }[]>('fleet:list-servers', {});
  const every = Math.floor(servers.length / SAMPLED);
  const sampled = servers.filter((_, i) => i % every === 0).map((s) => s.id);
  // The first probe: polled over 200 servers spread through the fleet, every 100 ms.
  let firstProbeMs = Number.NaN;
  while (Number.isNaN(firstProbeMs) && Date.now() - spawnedAt < 120_000) {
    const latest = await api.call<{ sip: { at: number } | null; icmp: { at: number } | null }[]>('monitoring:latest', {
      serverIds: sampled,
    });
    const ats = latest.flatMap((e) => [e.sip?.at, e.icmp?.at]).filter((t): t is number => t !== undefined);
    if (ats.length > 0) firstProbeMs = Math.min(...ats) - spawnedAt;
    else await sleep(100);
  }
  log(`  serve: listening after ${fmt(listeningMs, 0)} ms, first probe ${fmt(firstProbeMs, 0)} ms after start`);

  // 5 s interval (the default): settle, then the window.
  await sleep(15_000);
  const pid = serve.pid;
  const cpu0 = treeCpu(pid);
  const node0 = processCpuSeconds(pid);
  const from = Date.now();
  await sleep(WINDOW_S * 1_000);
  const to = Date.now();
  const oursCpuS = treeCpu(pid) - cpu0;
  const oursNodeS = processCpuSeconds(pid) - node0;
  const nodeRss = await rssMb(pid);
  const fpingRss = (await Promise.all(childrenOf(pid).map(rssMb))).reduce((a, b) => a + b, 0);
  // A second for the last samples of the window to reach the file (the writer flushes in batches).
  await sleep(1_500);
  const steady = slots(dataDir, from, to, 5_000);
  log(
    `  5 s: ${fmt((oursCpuS / WINDOW_S) * 1000, 0)} ms CPU/s (node ${fmt((oursNodeS / WINDOW_S) * 1000, 0)}); RSS node ${fmt(nodeRss, 0)} MB + fping ${fmt(fpingRss, 0)} MB; ${describeSlots(steady)}`,
  );

  // The same window later, when servers whose SSH keeps refusing are polled less and less often.
  let later: { cpuS: number; nodeS: number; rss: number; slots: ReturnType<typeof slots> } | null = null;
  if (STEADY_S > 0) {
    const waitMs = spawnedAt + STEADY_S * 1_000 - Date.now();
    log(`  waiting ${fmt(Math.max(0, waitMs) / 1000, 0)} s for the window at ${STEADY_S} s …`);
    if (waitMs > 0) await sleep(waitMs);
    const laterCpu0 = treeCpu(pid);
    const laterNode0 = processCpuSeconds(pid);
    const laterFrom = Date.now();
    await sleep(WINDOW_S * 1_000);
    const laterTo = Date.now();
    const cpuS = treeCpu(pid) - laterCpu0;
    const nodeS = processCpuSeconds(pid) - laterNode0;
    const rss = await rssMb(pid);
    await sleep(1_500);
    later = { cpuS, nodeS, rss, slots: slots(dataDir, laterFrom, laterTo, 5_000) };
    log(
      `  5 s at ${STEADY_S} s: ${fmt((cpuS / WINDOW_S) * 1000, 0)} ms CPU/s (node ${fmt((nodeS / WINDOW_S) * 1000, 0)}); RSS node ${fmt(rss, 0)} MB; ${describeSlots(later.slots)}`,
    );
  }

  const saveStarted = performance.now();
  const saved = await api.call<{ file: string; bytes: number }>('snapshots:save', {});
  const saveS = (performance.now() - saveStarted) / 1000;
  log(`  snapshot: ${fmt(saveS, 1)} s, ${fmt(saved.bytes / 1e6, 1)} MB`);

  // 1 s interval: how far it gets.
  await api.call('settings:update', { probeIntervalSec: 1 });
  await sleep(10_000);
  const fastCpu0 = treeCpu(pid);
  const nodeCpu0 = processCpuSeconds(pid);
  const fastFrom = Date.now();
  await sleep(FAST_WINDOW_S * 1_000);
  const fastTo = Date.now();
  const fastCpuS = treeCpu(pid) - fastCpu0;
  const fastNodeS = processCpuSeconds(pid) - nodeCpu0;
  const fastRss = await rssMb(pid);
  await sleep(1_500);
  const fast = slots(dataDir, fastFrom, fastTo, 1_000);
  const fastNodePct = (100 * fastNodeS) / FAST_WINDOW_S;
  const fastFpingPct = (100 * (fastCpuS - fastNodeS)) / FAST_WINDOW_S;
  // Node's main thread and fping are each one thread: the one nearest a whole core, or node when
  // its wakes come seconds late (its loop is held up, whatever the CPU share the machine gave it).
  const saturated =
    fast.p99 > 1_000 && fastNodePct >= fastFpingPct
      ? `node's event loop (wakes ${fmt(fast.p99 / 1000, 1)} s late at p99, ${fmt(fastNodePct, 0)} % of a core)`
      : Math.max(fastNodePct, fastFpingPct) < 80
        ? 'nothing (neither process near a core, wakes on time)'
        : fastNodePct >= fastFpingPct
          ? `node (${fmt(fastNodePct, 0)} % of a core)`
          : `fping (${fmt(fastFpingPct, 0)} % of a core)`;
  log(
    `  1 s: node ${fmt(fastNodePct, 0)} % of a core, children ${fmt(fastFpingPct, 0)} %; RSS node ${fmt(fastRss, 0)} MB; ${describeSlots(fast)}`,
  );
  await serve.stop();
  serve = null;

  // The probes alone: the same scheduler and checks with no host around them, same servers and interval.
  log('  probes alone (scheduler + checks, no host) …');
  const alone = start(
    [
      process.execPath,
      '--import',
      'tsx',
      path.join(ROOT, 'test/bench/fleet-10k-probes.ts'),
      '--seconds',
      String(WINDOW_S),
      '--settle',
      '15',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await alone.exited;
  const probes = JSON.parse(alone.stdout().trim().split('\n').at(-1) ?? '{}') as {
    nodeS: number;
    fpingS: number;
    rssMb: number;
    counts: Record<string, { samples: number; answered: number }>;
    lateness: number[];
  };
  if (!Array.isArray(probes.lateness)) throw new Error('fleet-10k-probes reported nothing');
  const aloneMs = ((probes.nodeS + probes.fpingS) / WINDOW_S) * 1000;
  const aloneP99 = percentile(probes.lateness, 0.99);
  const aloneExpected = (N * WINDOW_S * 1000) / 5_000;
  const aloneShare = (kind: string) => {
    const c = probes.counts[kind] ?? { samples: 0, answered: 0 };
    return `${fmt((100 * c.samples) / aloneExpected, 1)} % kept, ${fmt((100 * c.answered) / Math.max(1, c.samples), 1)} % answered`;
  };
  log(
    `  probes alone: ${fmt(aloneMs, 0)} ms CPU/s (node ${fmt((probes.nodeS / WINDOW_S) * 1000, 0)} + fping ${fmt((probes.fpingS / WINDOW_S) * 1000, 0)}); ` +
      `RSS ${fmt(probes.rssMb, 0)} MB; wake lateness p99 ${fmt(aloneP99, 2)} ms over ${probes.lateness.length} wakes; SIP ${aloneShare('sip-udp')}; ICMP ${aloneShare('icmp')}; TCP ${aloneShare('tcp')}`,
  );

  // The peer: bare fping over the same addresses with the arguments the ICMP check builds for
  // this fleet, SIPp sending the same 2,000 OPTIONS a second, and the same 2,000 TCP connects a
  // second to the SIP TCP port (5061, the imported servers' default, refused in the namespace) done
  // bare in C (peer/tcp-connect-peer.c says why no packaged tool).
  const hosts = Array.from({ length: N }, (_, i) => target(i));
  const tcpPeerBin = path.join(ROOT, '.tmp/bench/tcp-connect-peer');
  await mkdir(path.dirname(tcpPeerBin), { recursive: true });
  execFileSync('cc', ['-O2', '-o', tcpPeerBin, path.join(ROOT, 'test/bench/peer/tcp-connect-peer.c')]);
  const tcpPeer = start([tcpPeerBin, '5061', '5000', String(WINDOW_S + 10)], { stdio: ['pipe', 'pipe', 'inherit'] });
  tcpPeer.child.stdin?.end(`${hosts.join('\n')}\n`);
  const spacing = String(fpingSpacingMs(5_000, N));
  const fping = start(['fping', '-l', '-D', '-p', '5000', '-i', spacing, '-t', '500', ...hosts], { env: { ...process.env, LC_ALL: 'C' } });
  const rate = (2 * N) / 10;
  const sipp = start([
    'sipp',
    '-sf',
    path.join(ROOT, 'test/bench/sipp/options-uac.xml'),
    '-i',
    '127.0.0.1',
    '-p',
    '5070',
    '-r',
    String(rate),
    '-m',
    String(rate * (WINDOW_S + 10)),
    '-nostdin',
    `${target(0)}:5060`,
  ]);
  await sleep(5_000);
  const peerParts = () => [fping.pid, sipp.pid, tcpPeer.pid].map((pid) => processCpuSeconds(pid));
  const part0 = peerParts();
  await sleep(WINDOW_S * 1_000);
  const partS = peerParts().map((s, i) => s - (part0[i] ?? 0));
  const peerCpuS = partS.reduce((a, b) => a + b, 0);
  await fping.stop();
  await sipp.stop();
  await tcpPeer.exited;
  const [fpingMs, sippMs, tcpMs] = partS.map((s) => fmt((s / WINDOW_S) * 1000, 0));
  log(
    `  peer: ${fmt((peerCpuS / WINDOW_S) * 1000, 0)} ms CPU/s (fping -l ${fpingMs} + SIPp at ${rate}/s ${sippMs} + TCP connects ${tcpMs}; ${tcpPeer.stdout().trim()})`,
  );

  const oursMs = (oursCpuS / WINDOW_S) * 1000;
  const peerMs = (peerCpuS / WINDOW_S) * 1000;
  rows.push(
    {
      benchmark: `10,000 servers, SIP + ICMP + TCP connect every 5 s, \`switchyard serve\` (${WINDOW_S} s)`,
      measure: `host CPU ms per second (node ${fmt((oursNodeS / WINDOW_S) * 1000, 0)} + fping and other children ${fmt(((oursCpuS - oursNodeS) / WINDOW_S) * 1000, 0)}), RSS node ${fmt(nodeRss, 0)} MB + fping ${fmt(fpingRss, 0)} MB`,
      ours: fmt(oursMs, 0),
      peer: `${fmt(peerMs, 0)} (bare fping -l + SIPp + TCP connects in C, same probes)`,
      ratio: `${fmt(oursMs / peerMs)} ×`,
      goal: '≤ 1.2 ×',
      met: oursMs <= 1.2 * peerMs,
    },
    ...(later === null
      ? []
      : [
          {
            benchmark: `10,000 servers, SIP + ICMP + TCP connect every 5 s, \`switchyard serve\` after ${STEADY_S} s (${WINDOW_S} s)`,
            measure:
              `host CPU ms per second (node ${fmt((later.nodeS / WINDOW_S) * 1000, 0)} + children ${fmt(((later.cpuS - later.nodeS) / WINDOW_S) * 1000, 0)}), RSS node ${fmt(later.rss, 0)} MB; ` +
              `p99 wake lateness ${fmt(later.slots.p99, 1)} ms; slots kept SIP ${fmt(later.slots.sipKeptPct, 1)} % / ICMP ${fmt(later.slots.icmpKeptPct, 1)} %; answered ${fmt(later.slots.sipAnsweredPct, 1)} % / ${fmt(later.slots.icmpAnsweredPct, 1)} %`,
            ours: fmt((later.cpuS / WINDOW_S) * 1000, 0),
            peer: `${fmt(peerMs, 0)} (bare fping -l + SIPp + TCP connects in C, same probes)`,
            ratio: `${fmt(((later.cpuS / WINDOW_S) * 1000) / peerMs)} ×`,
            goal: '≤ 1.2 ×, p99 < 5 ms',
            met: (later.cpuS / WINDOW_S) * 1000 <= 1.2 * peerMs && later.slots.p99 < 5,
          },
        ]),
    {
      benchmark: `10,000 servers, SIP + ICMP + TCP connect every 5 s: the probes alone (scheduler and checks, no host; ${WINDOW_S} s)`,
      measure: `CPU ms per second (node ${fmt((probes.nodeS / WINDOW_S) * 1000, 0)} + fping ${fmt((probes.fpingS / WINDOW_S) * 1000, 0)}); RSS ${fmt(probes.rssMb, 0)} MB; SIP ${aloneShare('sip-udp')}`,
      ours: fmt(aloneMs, 0),
      peer: `${fmt(peerMs, 0)} (bare fping -l + SIPp + TCP connects in C, same probes)`,
      ratio: `${fmt(aloneMs / peerMs)} ×`,
      goal: '≤ 1.2 ×',
      met: aloneMs <= 1.2 * peerMs,
    },
    {
      benchmark: '10,000 servers every 5 s: the probes alone',
      measure: `p99 wake lateness, ms (${probes.lateness.length} wakes)`,
      ours: fmt(aloneP99, 2),
      peer: '—',
      ratio: '—',
      goal: '< 5 ms',
      met: aloneP99 < 5,
    },
    {
      benchmark: '10,000 servers every 5 s: schedule',
      measure: `p99 wake lateness, ms, every SIP wake of the fleet (max ${fmt(steady.max, 0)}; slots kept SIP ${fmt(steady.sipKeptPct, 1)} % / ICMP ${fmt(steady.icmpKeptPct, 1)} %; answered ${fmt(steady.sipAnsweredPct, 1)} % / ${fmt(steady.icmpAnsweredPct, 1)} %)`,
      ours: fmt(steady.p99, 1),
      peer: '—',
      ratio: '—',
      goal: '< 5 ms',
      met: steady.p99 < 5,
    },
    {
      benchmark: '10,000 servers every 1 s',
      measure: 'how far it gets: slots kept, wake lateness, CPU (a core is 100 %)',
      ours:
        `SIP ${fmt(fast.sipKeptPct, 1)} % / ICMP ${fmt(fast.icmpKeptPct, 1)} % kept, p99 lateness ${fmt(fast.p99, 0)} ms; ` +
        `node ${fmt(fastNodePct, 0)} %, fping ${fmt(fastFpingPct, 0)} %; saturates first: ${saturated}`,
      peer: '—',
      ratio: '—',
      goal: 'reported',
      met: null,
    },
    {
      benchmark: '10,000 servers: start, import, snapshot',
      measure: 's: `fleet import` of the CSV (CLI start included) / `serve` start → listening / → first probe / snapshot save',
      ours: `${fmt(importS, 1)} / ${fmt(listeningMs / 1000, 1)} / ${fmt(firstProbeMs / 1000, 1)} / ${fmt(saveS, 1)} (${fmt(saved.bytes / 1e6, 0)} MB)`,
      peer: '—',
      ratio: '—',
      goal: 'reported',
      met: null,
    },
  );
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
} finally {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
