// 10,000 servers end to end with `switchyard serve` on this machine, against bare fping + SIPp
// doing the same probes in the same run.
//
// A network namespace holding only `lo` is created (as the SIP benchmark does); inside it a SIPp
// UAS bound to 0.0.0.0:5060 answers SIP OPTIONS for every 127/8 address, and ICMP is answered by
// loopback itself. Everything else runs inside the namespace too (fleet-10k-run.ts): the fleet
// import of a generated 10,000-server CSV, `switchyard serve`, the windows at a 5 s and a 1 s
// interval (timing read from the host's SQLite file afterwards, lib/sample-timing.ts), the
// snapshot save, the probes alone without the host (fleet-10k-probes.ts), and the peer (bare
// `fping -l` over the same 10,000 addresses, SIPp sending the same 2,000 OPTIONS a second and the
// same 2,000 TCP connects a second to the SIP TCP port made bare in C, peer/tcp-connect-peer.c:
// `serve` gives every server a TCP connect probe beside SIP and ICMP), one after the other.
//
// `--steady SECONDS` (run this file directly: `node --import tsx test/bench/fleet-10k.ts --steady
// 660`) measures a second window of the same length once `serve` has run that long, when the load
// polls of servers whose SSH refuses have backed off, and reports it as a row of its own.
import path from 'node:path';
import { createLoopbackNetns } from './lib/netns';
import { emit, flag, fmt, hasFlag, log, type BenchRow } from './lib/report';
import { sleep, start } from './lib/spawn';

const here = path.resolve('test/bench');
const steady = flag('steady');
const ns = createLoopbackNetns('fleet10k');
const uas = start([...ns.exec, 'sipp', '-sf', path.join(here, 'sipp/options-uas.xml'), '-i', '0.0.0.0', '-p', '5060', '-nostdin']);
try {
  await sleep(1_000);
  const run = start(
    [
      ...ns.exec,
      process.execPath,
      '--import',
      'tsx',
      path.join(here, 'fleet-10k-run.ts'),
      ...(hasFlag('short') ? ['--short'] : []),
      ...(steady ? ['--steady', steady] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const code = await run.exited;
  const last = run.stdout().trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`fleet-10k-run ended with ${code}`);
  const rows = (JSON.parse(last) as { rows: BenchRow[] }).rows;
  for (const r of rows) log(`  ${r.benchmark}: ${r.ours} vs ${r.peer}`);
  emit(rows);
} finally {
  await uas.stop();
  ns.remove();
  log(`fleet-10k: done (${fmt(process.uptime(), 0)} s)`);
}
