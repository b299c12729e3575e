// The floor under the SIP benchmark: what Node itself costs to send 1,000 OPTIONS a second to
// 1,000 loopback targets and take their answers, with none of Switchyard in the way — one
// datagram per target rendered from a fixed text, sent from a timer at the scheduler's gather
// window (the engine's batching) at the rate due, answers only counted
// (no parsing, matching, deadlines or samples). No engine built on Node's UDP sockets can cost
// less than this, so it shows how much of the engine's cost is its own. Runs in its own process
// inside the benchmark's network namespace, like sip-engine.ts, and reports the same way.
import dgram from 'node:dgram';
import { DEFAULT_GATHER_MS } from '../../src/services/probes/scheduler';
import { loopbackTarget } from './lib/netns';
import { flag } from './lib/report';
import { measureWindow } from './lib/cpu-window';

const TARGETS = Number(flag('targets') ?? 1_000);
const WINDOW_S = Number(flag('seconds') ?? 60);
const WARMUP_S = 5;
const PORT = Number(flag('port') ?? 5060);
const RATE = 1_000;
/** Sends go out in the batches the engine's scheduler makes (it hands over what is due in its gather window). */
const GATHER_MS = DEFAULT_GATHER_MS;

const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
const localPort = socket.address().port;
const hosts = Array.from({ length: TARGETS }, (_, i) => loopbackTarget(i));
// The responder keeps a call per Call-ID, so each datagram needs a new one: the text around the
// counter is rendered once per target.
const heads = hosts.map(
  (host, i) =>
    `OPTIONS sip:${host}:${PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bKfloor${i};rport\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:switchyard@127.0.0.1>;tag=floor${i}\r\nTo: <sip:${host}:${PORT}>\r\nCall-ID: floor-${process.pid}-${Date.now()}-`,
);
const TAIL = `@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nUser-Agent: Switchyard-floor\r\nContent-Length: 0\r\n\r\n`;

let measuring = false;
let sent = 0;
let answered = 0;
socket.on('message', () => {
  if (measuring) answered += 1;
});

const t0 = performance.now();
let next = 0;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - t0) / 1_000) * RATE);
  for (; next < due; next += 1) {
    const i = next % TARGETS;
    socket.send(Buffer.from(`${heads[i] as string}${next}${TAIL}`, 'latin1'), PORT, hosts[i] as string);
    if (measuring) sent += 1;
  }
}, GATHER_MS);

const { cpu, wallS } = await measureWindow(WARMUP_S, WINDOW_S, (on) => (measuring = on));
clearInterval(timer);
socket.close();
process.stdout.write(`${JSON.stringify({ cpuS: (cpu.user + cpu.system) / 1e6, wallS, sent, answered })}\n`);
