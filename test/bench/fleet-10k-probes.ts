// The probes of the fleet-10k benchmark without the rest of the host: the real ProbeScheduler with
// the real checks the host builds (SIP over UDP on the addon when built, ICMP through one `fping
// -l`, a TCP connect to the SIP TCP port, as `serve` probes every server) for 10,000 servers, in one process inside the benchmark's namespace. It separates what the
// probes cost from what the host around them costs (store, alerts, load polls, pushes), against
// the same peer. Prints one JSON line: CPU of this process and of fping over the window, every
// wake's lateness (timer due → probes handed over, as sip-engine.ts measures it) and the samples.
import { readFileSync } from 'node:fs';
import type { ProbeKind } from '../../src/domain/monitoring/sample';
import { closeChecks, createChecks } from '../../src/services/probes/checks';
import { systemClock, type Clock } from '../../src/services/probes/clock';
import { FpingCheck } from '../../src/services/probes/icmp-fping';
import { ProbeScheduler } from '../../src/services/probes/scheduler';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { processCpuSeconds } from './lib/netns';
import { flag } from './lib/report';

const N = Number(flag('servers') ?? 10_000);
const INTERVAL_MS = Number(flag('interval') ?? 5_000);
const WINDOW_S = Number(flag('seconds') ?? 30);
const SETTLE_S = Number(flag('settle') ?? 15);
const target = (i: number) => `127.${1 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

const real = systemClock();
let measuring = false;
let wakeDue = 0;
let lastWakeSeen = -1;
const lateness: number[] = [];
// The scheduler's clock, watched: each timer records when it was due, and the first probe a wake
// hands over is charged from then.
const clock: Clock = {
  now: () => real.now(),
  elapsedMs: () => real.elapsedMs(),
  setTimer(fn, ms) {
    const due = performance.now() + ms;
    return real.setTimer(() => {
      wakeDue = due;
      fn();
    }, ms);
  },
  clearTimer: (handle) => real.clearTimer(handle),
};

const fping = new FpingCheck({ clock });
const checks = createChecks({ clock, icmp: fping });
const sip = checks['sip-udp'] as SipUdpCheck;
const sipStart = sip.start.bind(sip);
sip.start = (t, done) => {
  if (measuring && wakeDue !== lastWakeSeen) {
    lastWakeSeen = wakeDue;
    lateness.push(performance.now() - wakeDue);
  }
  sipStart(t, done);
};
const counts: Record<string, { samples: number; answered: number }> = {};
const scheduler = new ProbeScheduler({
  checks,
  clock,
  defaultIntervalMs: INTERVAL_MS,
  onSample(sample) {
    if (!measuring) return;
    const c = (counts[sample.kind] ??= { samples: 0, answered: 0 });
    c.samples += 1;
    if (sample.rttMs !== null) c.answered += 1;
  },
});
// What `serve` gives an imported server with the reference's default ports (monitored-server.ts).
const kinds: readonly ProbeKind[] = ['sip-udp', 'icmp', 'tcp'];
scheduler.upsertMany(
  Array.from({ length: N }, (_, i) => ({
    id: `srv-${i}`,
    host: target(i),
    ports: { udp: 5060, tcp: 5061, tls: 5061 },
    adminState: 'running' as const,
    expiresAt: null,
    intervalMs: INTERVAL_MS,
    kinds,
  })),
);
scheduler.start();
await new Promise((r) => setTimeout(r, SETTLE_S * 1_000));
const fpingCpu = () => (fping.pid === null ? 0 : processCpuSeconds(fping.pid));
const fpingPid0 = fping.pid;
const fping0 = fpingCpu();
const cpu0 = process.cpuUsage();
measuring = true;
await new Promise((r) => setTimeout(r, WINDOW_S * 1_000));
measuring = false;
const cpu = process.cpuUsage(cpu0);
const fpingS = fping.pid === fpingPid0 ? fpingCpu() - fping0 : Number.NaN;
const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
await scheduler.stop();
await closeChecks(checks);
process.stdout.write(
  `${JSON.stringify({ engine: sip.engine, nodeS: (cpu.user + cpu.system) / 1e6, fpingS, windowS: WINDOW_S, rssMb, counts, lateness })}\n`,
);
