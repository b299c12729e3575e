// The measured side of the SIP benchmark, run in its own process inside the benchmark's network
// namespace: the real ProbeScheduler driving the real SipUdpCheck against 1,000 loopback targets
// at 1 Hz. After a warm-up it measures, over the window, its own CPU time (process.cpuUsage:
// scheduler, sockets, SIP building and parsing, garbage collection) and each probe's lateness:
// the time from the moment the scheduler's timer was due to the moment the probe was handed to
// the check. A tick that finds several servers due charges all of them from the earliest due
// time, so the figure is an upper bound on each probe's own lateness.
//
// `--engine mmsg` runs the check on the sipmmsg addon's socket (batched sendmmsg/recvmmsg),
// `--engine node` on Node's own dgram socket (the fallback); the report names the one used.
import type { ProbeKind } from '../../src/domain/monitoring/sample';
import { ProbeScheduler } from '../../src/services/probes/scheduler';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { systemClock, type Clock } from '../../src/services/probes/clock';
import type { Check } from '../../src/services/probes/check';
import { loopbackTarget } from './lib/netns';
import { flag } from './lib/report';
import { measureWindow } from './lib/cpu-window';

const TARGETS = Number(flag('targets') ?? 1_000);
const WINDOW_S = Number(flag('seconds') ?? 60);
const WARMUP_S = 5;
const PORT = Number(flag('port') ?? 5060);
const ENGINE = flag('engine') ?? 'auto';
const GATHER_MS = flag('gather') === undefined ? undefined : Number(flag('gather'));
if (ENGINE !== 'auto' && ENGINE !== 'node' && ENGINE !== 'mmsg') throw new Error(`--engine: auto, node or mmsg, not ${ENGINE}`);

const real = systemClock();
let dueAt = 0;
let measuring = false;
const lateness: number[] = [];
let sent = 0;
let answered = 0;
let lostCount = 0;

// The scheduler's clock, watched: each timer records when it was meant to fire.
const clock: Clock = {
  now: () => real.now(),
  elapsedMs: () => real.elapsedMs(),
  setTimer(fn, ms) {
    const due = performance.now() + ms;
    return real.setTimer(() => {
      dueAt = due;
      fn();
    }, ms);
  },
  clearTimer: (handle) => real.clearTimer(handle),
};

const sip = new SipUdpCheck({ engine: ENGINE });
const handedOver = () => {
  if (!measuring) return;
  lateness.push(performance.now() - dueAt);
  sent += 1;
};
// Offers what the real check offers, so the scheduler takes the same path (the lean start()).
const watched: Check = {
  kind: 'sip-udp',
  check(target, signal) {
    handedOver();
    return sip.check(target, signal);
  },
  start(target, done) {
    handedOver();
    sip.start(target, done);
  },
  cancelAll: () => sip.cancelAll(),
  release: (id) => sip.release(id),
  close: () => sip.close(),
};

const kinds: readonly ProbeKind[] = ['sip-udp'];
const scheduler = new ProbeScheduler({
  checks: { 'sip-udp': watched },
  clock,
  deadlineMs: 2_000,
  ...(GATHER_MS === undefined ? {} : { gatherMs: GATHER_MS }),
  onSample(sample) {
    if (!measuring) return;
    if (sample.rttMs === null) lostCount += 1;
    else answered += 1;
  },
});
for (let i = 0; i < TARGETS; i += 1) {
  scheduler.upsert({
    id: `bench-${i}`,
    host: loopbackTarget(i),
    ports: { udp: PORT, tcp: PORT, tls: PORT + 1 },
    adminState: 'running',
    expiresAt: null,
    intervalMs: 1_000,
    kinds,
  });
}
scheduler.start();
const { cpu, wallS } = await measureWindow(WARMUP_S, WINDOW_S, (on) => (measuring = on));
await scheduler.stop();
await sip.close();
process.stdout.write(
  `${JSON.stringify({ engine: sip.engine, dropped: sip.dropped, inFlight: sip.inFlight, cpuS: (cpu.user + cpu.system) / 1e6, userS: cpu.user / 1e6, systemS: cpu.system / 1e6, wallS, sent, answered, lost: lostCount, lateness })}\n`,
);
