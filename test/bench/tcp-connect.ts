// The 'tcp' probe at fleet scale: 10,000 servers every 5 s, 2,000 TCP connects a second, most of
// them refused (9 in 10 go to a closed port on 127.0.x.y), the rest to a listener on 127.0.0.1
// in a process of its own. The real ProbeScheduler drives the real TcpConnectCheck, once on the
// sipmmsg addon's TCP prober (epoll) and once on Node's sockets (the fallback), each in its own
// process, alternating: addon, Node, addon, Node (`--short`: one each). Each reports its own CPU
// over the window after a warm-up (process.cpuUsage: scheduler, check, the kernel's work for the
// connects it makes, garbage collection) and the results it got; the row is CPU µs per probe,
// the addon's against Node's, means of the rounds. `uptime` is printed before and after.
//
// A third process, once, is the floor: the same scheduler and servers with a check that ends
// each probe at once without connecting. What is above it is the check's own cost, the kernel's
// work for the connects included (on loopback that is both ends of every handshake, in this
// process's system calls; the second row reports the engines above the floor).
//
// The same file is the engine process (`--engine epoll|node|floor`) and the listener (`--listener`).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Check } from '../../src/services/probes/check';
import { systemClock } from '../../src/services/probes/clock';
import { ProbeScheduler } from '../../src/services/probes/scheduler';
import { TcpConnectCheck, type TcpConnectEngine } from '../../src/services/probes/tcp-connect';
import { emit, flag, fmt, hasFlag, log, percentile } from './lib/report';
import { start } from './lib/spawn';
import { measureWindow } from './lib/cpu-window';

const SERVERS = 10_000;
const INTERVAL_MS = 5_000;
const WARMUP_S = 5;
const WINDOW_S = Number(flag('seconds') ?? (hasFlag('short') ? 10 : 30));
const ROUNDS = hasFlag('short') ? 1 : 2;
const self = fileURLToPath(import.meta.url);

type Engine = TcpConnectEngine | 'floor';

interface EngineResult {
  engine: Engine;
  cpuS: number;
  userS: number;
  systemS: number;
  wallS: number;
  started: number;
  connected: number;
  refused: number;
  timeout: number;
  other: number;
  rttP50: number;
  rttP99: number;
}

/** 127.0.1.1 … 127.0.37.x: every address answers on `lo` (a closed port there is refused). */
const closedTarget = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

async function listener(): Promise<void> {
  const server = net.createServer((socket) => socket.on('error', () => undefined));
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4_096 }, () => {
    process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`);
  });
  await new Promise(() => undefined);
}

/** A port nothing on 127.0.0.1 listens on now (bound and let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function engineProcess(engine: Engine, openPort: number, refusedPort: number): Promise<void> {
  const check = new TcpConnectCheck(systemClock(), { engine: engine === 'floor' ? 'node' : engine });
  const floor = engine === 'floor';
  let measuring = false;
  const tally = { started: 0, connected: 0, refused: 0, timeout: 0, other: 0 };
  const rtts: number[] = [];
  // Offers what the real check offers, so the scheduler takes the same path (the lean start()).
  const counted: Check = {
    kind: 'tcp',
    check: (target, signal) => check.check(target, signal),
    start(target, done) {
      if (measuring) tally.started += 1;
      if (floor) done(target, { rttMs: null, error: 'refused' });
      else check.start(target, done);
    },
    cancelAll: () => check.cancelAll(),
    close: () => check.close(),
  };
  const scheduler = new ProbeScheduler({
    checks: { tcp: counted },
    clock: systemClock(),
    deadlineMs: 2_000,
    onSample(sample, result) {
      if (!measuring) return;
      if (sample.rttMs !== null) {
        tally.connected += 1;
        if (rtts.length < 100_000) rtts.push(sample.rttMs);
      } else if (result.error === 'refused') tally.refused += 1;
      else if (result.error === 'timeout') tally.timeout += 1;
      else tally.other += 1;
    },
  });
  scheduler.upsertMany(
    Array.from({ length: SERVERS }, (_, i) => ({
      id: `bench-${i}`,
      host: i % 10 === 0 ? '127.0.0.1' : closedTarget(i),
      ports: { udp: 5060, tcp: i % 10 === 0 ? openPort : refusedPort, tls: 5061 },
      adminState: 'running' as const,
      expiresAt: null,
      intervalMs: INTERVAL_MS,
      kinds: ['tcp' as const],
    })),
  );
  scheduler.start();
  const { cpu, wallS } = await measureWindow(WARMUP_S, WINDOW_S, (on) => (measuring = on));
  await scheduler.stop();
  await check.close();
  const result: EngineResult = {
    engine: floor ? 'floor' : check.engine,
    cpuS: (cpu.user + cpu.system) / 1e6,
    userS: cpu.user / 1e6,
    systemS: cpu.system / 1e6,
    wallS,
    ...tally,
    rttP50: percentile(rtts, 0.5),
    rttP99: percentile(rtts, 0.99),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  const loadBefore = load();
  log(
    `tcp-connect: ${SERVERS} servers every ${INTERVAL_MS / 1_000} s (${(SERVERS * 1_000) / INTERVAL_MS} connects/s), ${WINDOW_S} s windows`,
  );
  log(`  uptime before: ${loadBefore}`);
  const listening = start([process.execPath, '--import', 'tsx', self, '--listener']);
  try {
    const openPort = await new Promise<number>((resolve, reject) => {
      listening.child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      void listening.exited.then(() => reject(new Error('the listener exited')));
    });
    const refusedPort = await closedPort();
    const runOne = async (engine: Engine, round: number): Promise<EngineResult> => {
      const run = start([
        process.execPath,
        '--import',
        'tsx',
        self,
        '--engine',
        engine,
        '--open',
        String(openPort),
        '--refused',
        String(refusedPort),
        '--seconds',
        String(WINDOW_S),
      ]);
      await run.exited;
      const result = JSON.parse(run.stdout().trim().split('\n').at(-1) ?? '{}') as EngineResult;
      if (result.engine !== engine || !(result.started > 0)) throw new Error(`the ${engine} engine process reported nothing`);
      const us = (seconds: number) => fmt((seconds / result.started) * 1e6, 1);
      log(
        `  round ${round} ${engine}: ${result.started} probes in ${fmt(result.wallS)} s, CPU ${fmt(result.cpuS, 3)} s = ${us(result.cpuS)} µs per probe (user ${us(result.userS)}, system ${us(result.systemS)}); connected ${result.connected}, refused ${result.refused}, timeout ${result.timeout}, other ${result.other}; rtt p50 ${fmt(result.rttP50, 3)} ms p99 ${fmt(result.rttP99, 3)} ms`,
      );
      return result;
    };
    const runs: Record<TcpConnectEngine, EngineResult[]> = { epoll: [], node: [] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const engine of ['epoll', 'node'] as const) runs[engine].push(await runOne(engine, round));
    }
    const floorRun = await runOne('floor', 1);
    const loadAfter = load();
    log(`  uptime after: ${loadAfter}`);
    const perProbe = (r: EngineResult) => (r.cpuS / r.started) * 1e6;
    const userPerProbe = (r: EngineResult) => (r.userS / r.started) * 1e6;
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const addon = mean(runs.epoll.map(perProbe));
    const node = mean(runs.node.map(perProbe));
    const floor = perProbe(floorRun);
    const addonUser = mean(runs.epoll.map(userPerProbe)) - userPerProbe(floorRun);
    const nodeUser = mean(runs.node.map(userPerProbe)) - userPerProbe(floorRun);
    const loadAverage = loadAfter.replace(/^.*load average:\s*/, '');
    const what = `TCP connect probes, 10,000 servers every 5 s (2,000 connects/s, 9 in 10 refused), ${WINDOW_S} s × ${ROUNDS}`;
    emit([
      {
        benchmark: `${what}: the addon's TCP prober (default when built)`,
        measure: `CPU µs per probe, whole process (load ${loadAverage})`,
        ours: fmt(addon, 1),
        peer: `${fmt(node, 1)} (Node sockets, the fallback)`,
        ratio: `${fmt(addon / node)} ×`,
        goal: 'less than Node sockets',
        met: addon < node,
      },
      {
        benchmark: `${what}: the check's own cost, above the scheduler alone (${fmt(floor, 1)} µs)`,
        measure: 'CPU µs per probe above the floor (the kernel’s loopback handshakes included)',
        ours: fmt(addon - floor, 1),
        peer: `${fmt(node - floor, 1)} (Node sockets, the fallback)`,
        ratio: `${fmt((addon - floor) / (node - floor))} ×`,
        goal: 'reference',
        met: null,
      },
      {
        benchmark: `${what}: the check's own user-space cost (JavaScript, the addon, garbage collection), above the scheduler alone`,
        measure: 'user CPU µs per probe above the floor',
        ours: fmt(addonUser, 1),
        peer: `${fmt(nodeUser, 1)} (Node sockets, the fallback)`,
        ratio: `${fmt(addonUser / nodeUser)} ×`,
        goal: 'reference',
        met: null,
      },
    ]);
  } finally {
    await listening.stop();
  }
}

if (hasFlag('listener')) await listener();
else if (flag('engine') !== undefined) {
  const engine = flag('engine');
  if (engine !== 'epoll' && engine !== 'node' && engine !== 'floor') throw new Error(`--engine: epoll, node or floor, not ${engine}`);
  await engineProcess(engine, Number(flag('open')), Number(flag('refused')));
} else await main();
