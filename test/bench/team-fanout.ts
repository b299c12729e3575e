// 100 signed-in clients of one team host hearing live updates for 1,000 servers probed every
// second: the host's CPU with them against without them, the fan-out latency (the newest sample
// in a push → the last of the 100 clients has it), and the host's memory per client.
//
// Everything runs in a network namespace holding only `lo`: a SIPp responder on 0.0.0.0:5060
// answers the 1,000 loopback servers (as in the SIP benchmark), the host (team-fanout-host.ts)
// probes them and serves the team web host over TLS on 127.0.0.1, and the clients
// (team-fanout-clients.ts, WebSocket clients that parse every push as a page does) run in a
// third process. On this machine's two cores the clients compete with the host for CPU: the
// latency is an upper bound for clients on other machines.
import path from 'node:path';
import { createLoopbackNetns } from './lib/netns';
import { emit, fmt, hasFlag, log, percentile } from './lib/report';
import { sleep, start } from './lib/spawn';

const here = path.resolve('test/bench');
const CLIENTS = 100;
const WINDOW_S = hasFlag('short') ? 8 : 20;
const ns = createLoopbackNetns('team');
const uas = start([...ns.exec, 'sipp', '-sf', path.join(here, 'sipp/options-uas.xml'), '-i', '0.0.0.0', '-p', '5060', '-nostdin']);
const tsx = [process.execPath, '--import', 'tsx'];

try {
  await sleep(1_000);
  log(`team-fanout: 1,000 servers at 1 Hz, ${CLIENTS} signed-in WebSocket clients over TLS`);
  const host = start([...ns.exec, ...tsx, path.join(here, 'team-fanout-host.ts'), ...(hasFlag('short') ? ['--short'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let ready: RegExpExecArray | null = null;
  while ((ready = /READY (\d+) (\S+)/.exec(host.stdout())) === null) {
    if (host.child.exitCode !== null) throw new Error('the host process ended before it was ready');
    await sleep(100);
  }
  const clients = start(
    [
      ...ns.exec,
      ...tsx,
      path.join(here, 'team-fanout-clients.ts'),
      '--port',
      ready[1]!,
      '--ca',
      ready[2]!,
      '--clients',
      String(CLIENTS),
      '--seconds',
      String(WINDOW_S),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  while (!clients.stdout().includes('CONNECTED\n')) {
    if (clients.child.exitCode !== null) throw new Error('the clients ended before connecting');
    await sleep(100);
  }
  host.child.stdin?.write('CONNECTED\n');
  await clients.exited;
  while (!host.stdout().trim().split('\n').at(-1)?.startsWith('{')) await sleep(100);
  host.child.stdin?.write('STOP\n');
  await host.exited;
  const hostResult = JSON.parse(host.stdout().trim().split('\n').at(-1)!) as {
    idleCpu: number;
    busyCpu: number;
    rssBefore: number;
    rssAfter: number;
    emits: [number, number][];
  };
  const clientResult = JSON.parse(clients.stdout().trim().split('\n').at(-1)!) as {
    latencies: number[];
    lastArrivals: [number, number][];
    fromOldest: number[];
    pushes: number;
    complete: number;
    bytesPerPush: number;
  };
  const p95 = percentile(clientResult.latencies, 0.95);
  // The same pushes split at the moment monitoring emitted them: batching before, fan-out after.
  const emitted = new Map(hostResult.emits);
  const known = clientResult.lastArrivals.filter(([newest]) => emitted.has(newest));
  const fanout = known.map(([newest, last]) => last - emitted.get(newest)!);
  const batching = known.map(([newest]) => emitted.get(newest)! - newest);
  const fanoutP95 = percentile(fanout, 0.95);
  const perClientKiB = (hostResult.rssAfter - hostResult.rssBefore) / CLIENTS / 1024;
  log(
    `  pushes ${clientResult.pushes} (${clientResult.complete} reached all ${CLIENTS}), ${fmt(clientResult.bytesPerPush / 1024, 1)} KiB each; ` +
      `newest sample → last client p50 ${fmt(percentile(clientResult.latencies, 0.5), 0)} ms, p95 ${fmt(p95, 0)} ms, max ${fmt(Math.max(...clientResult.latencies), 0)} ms; ` +
      `oldest sample in the push → last client p95 ${fmt(percentile(clientResult.fromOldest, 0.95), 0)} ms`,
  );
  log(
    `  split: newest sample → emitted by monitoring p95 ${fmt(percentile(batching, 0.95), 0)} ms; emitted → last of ${CLIENTS} clients p50 ${fmt(percentile(fanout, 0.5), 0)} ms, p95 ${fmt(fanoutP95, 0)} ms (${fanout.length} pushes)`,
  );
  log(
    `  host CPU ${fmt(hostResult.busyCpu, 0)} ms/s with clients, ${fmt(hostResult.idleCpu, 0)} ms/s without; RSS ${fmt(hostResult.rssBefore / 1048576, 0)} → ${fmt(hostResult.rssAfter / 1048576, 0)} MiB`,
  );
  emit([
    {
      benchmark: `Team host, ${CLIENTS} signed-in clients (WebSocket over TLS), 1,000 servers at 1 Hz`,
      measure: 'fan-out latency p95, newest sample in a push → the last client has it, ms',
      ours: fmt(p95, 0),
      peer: '—',
      ratio: '—',
      goal: '< 250 ms',
      met: p95 < 250,
    },
    {
      benchmark: `Team host, ${CLIENTS} clients, 1,000 servers at 1 Hz`,
      measure: 'fan-out alone p95: push emitted by monitoring → the last client has it, ms',
      ours: fmt(fanoutP95, 0),
      peer: '—',
      ratio: '—',
      goal: '< 250 ms',
      met: fanoutP95 < 250,
    },
    {
      benchmark: `Team host, ${CLIENTS} clients, 1,000 servers at 1 Hz`,
      measure: 'host CPU ms per second (node + fping)',
      ours: fmt(hostResult.busyCpu, 0),
      peer: `${fmt(hostResult.idleCpu, 0)} (no client, same run)`,
      ratio: `${fmt(hostResult.busyCpu / hostResult.idleCpu)} ×`,
      goal: 'reported',
      met: null,
    },
    {
      benchmark: `Team host, ${CLIENTS} clients, 1,000 servers at 1 Hz`,
      measure: 'host memory per client, KiB (RSS growth / clients)',
      ours: fmt(perClientKiB, 0),
      peer: '—',
      ratio: '—',
      goal: 'reported',
      met: null,
    },
  ]);
} finally {
  await uas.stop();
  ns.remove();
}
