// The measured side of the ICMP benchmark, in its own process: the path the monitoring service
// uses. The real ProbeScheduler watches every server's ICMP target through the real FpingCheck
// (one long-running `fping -l` paced by itself, its output read in batches), and each result
// comes to onSample. 1,000 loopback addresses at 1 Hz. Over the window after a warm-up it
// reports its own CPU time (process.cpuUsage) and its fping child's (from /proc), since the
// engine's cost is both.
import { FpingCheck } from '../../src/services/probes/icmp-fping';
import { ProbeScheduler } from '../../src/services/probes/scheduler';
import { systemClock } from '../../src/services/probes/clock';
import { loopbackTarget, processCpuSeconds } from './lib/netns';
import { flag } from './lib/report';

const TARGETS = Number(flag('targets') ?? 1_000);
const WINDOW_S = Number(flag('seconds') ?? 60);
const WARMUP_S = 5;

let measuring = false;
let answered = 0;
let lostCount = 0;
const fping = new FpingCheck({ clock: systemClock() });
const scheduler = new ProbeScheduler({
  checks: { icmp: fping },
  clock: systemClock(),
  deadlineMs: 2_000,
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
    ports: { udp: 5060, tcp: 5060, tls: 5061 },
    adminState: 'running',
    expiresAt: null,
    intervalMs: 1_000,
    kinds: ['icmp'],
  });
}
scheduler.start();
await new Promise((r) => setTimeout(r, WARMUP_S * 1_000));
const pid = fping.pid;
if (pid === null) throw new Error('fping is not running');
measuring = true;
const self0 = process.cpuUsage();
const child0 = processCpuSeconds(pid);
const wall0 = performance.now();
await new Promise((r) => setTimeout(r, WINDOW_S * 1_000));
const self = process.cpuUsage(self0);
const childS = processCpuSeconds(pid) - child0;
const wallS = (performance.now() - wall0) / 1_000;
const samePid = fping.pid === pid;
measuring = false;
await scheduler.stop();
await fping.close();
process.stdout.write(
  `${JSON.stringify({ selfS: (self.user + self.system) / 1e6, childS, wallS, answered, lost: lostCount, restarted: !samePid, args: fping.spawned })}\n`,
);
