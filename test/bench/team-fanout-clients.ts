// The clients of the team fan-out benchmark, in their own process (so their cost is not the
// host's): N accounts' worth of signed-in sessions (one account, N sessions, as N browsers of a
// NOC would hold), each with its own event socket over TLS, parsing every push as a page does.
// For each samples push, the newest sample it carries is its "sample time"; its fan-out latency is
// the moment the last of the N clients has it, minus that time. Prints `CONNECTED`, then after
// the window one JSON line.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import WebSocket from 'ws';
import { unpackSamplesPush } from '../../src/contract/samples-wire';
import { flag } from './lib/report';
import { sleep } from './lib/spawn';

const port = Number(flag('port'));
const ca = readFileSync(String(flag('ca')), 'utf8');
const count = Number(flag('clients') ?? 100);
const windowS = Number(flag('seconds') ?? 20);
const agent = new Agent({ keepAlive: true, maxSockets: 8, ca, servername: 'noc.test' });

function signIn(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/sign-in',
        method: 'POST',
        agent,
        headers: { host: `noc.test:${port}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0];
        res.on('end', () => (res.statusCode === 200 && cookie ? resolve(cookie) : reject(new Error(`sign-in answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ name: 'wall', password: 'bench password 1234' }));
  });
}

const SAMPLES_PREFIX = Buffer.from('{"event":"monitoring:samples"');
const arrivals = new Map<string, { count: number; last: number }>();
const stamps = new Map<string, { newest: number; oldest: number }>();
let bytes = 0;
let messages = 0;
const sockets: WebSocket[] = [];
for (let i = 0; i < count; i++) {
  const cookie = await signIn();
  const socket = new WebSocket(`wss://127.0.0.1:${port}/api/events`, ['switchyard.events'], {
    headers: { host: `noc.test:${port}`, cookie, origin: `https://noc.test:${port}` },
    ...({ ca, servername: 'noc.test' } as object),
  });
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));

  socket.on('message', (data: Buffer) => {
    const at = Date.now();
    // Every client receives the same bytes for a push: only the first client parses it (for its
    // newest sample); the others recognise it by its first bytes and key it by its length and
    // last bytes. 100 full parses in one process would measure this process's CPU, not the
    // host's fan-out (each real browser parses on its own machine).
    if (!data.subarray(0, SAMPLES_PREFIX.length).equals(SAMPLES_PREFIX)) return;
    const seq = `${data.length}:${data.subarray(-64).toString('latin1')}`;
    bytes += data.length;
    messages += 1;
    if (i === 0) {
      // Read as a page reads it: unpacked to the contract's form (samples-wire.ts).
      const message = JSON.parse(data.toString('utf8')) as { payload: unknown };
      const unpacked = unpackSamplesPush(message.payload);
      if (!unpacked.ok) throw new Error(`a samples push did not unpack: ${unpacked.reason}`);
      let newest = 0;
      let oldest = Infinity;
      for (const update of unpacked.push.updates) {
        for (const probe of [update.sip, update.icmp])
          if (probe) [newest, oldest] = [Math.max(newest, probe.at), Math.min(oldest, probe.at)];
      }
      stamps.set(seq, { newest, oldest });
    }
    const seen = arrivals.get(seq) ?? { count: 0, last: 0 };
    seen.count += 1;
    seen.last = Math.max(seen.last, at);
    arrivals.set(seq, seen);
  });
  sockets.push(socket);
}
// Pushes before every client was listening are left out.
arrivals.clear();
[bytes, messages] = [0, 0];
process.stdout.write('CONNECTED\n');
await sleep(windowS * 1000);
const complete = [...arrivals.entries()]
  .filter(([key, seen]) => seen.count === count && stamps.has(key))
  .map(([key, seen]) => ({ ...stamps.get(key)!, last: seen.last }));
const latencies = complete.map((push) => push.last - push.newest);
const lastArrivals = complete.map((push) => [push.newest, push.last]);
const fromOldest = complete.map((push) => push.last - push.oldest);
process.stdout.write(
  `${JSON.stringify({ latencies, lastArrivals, fromOldest, pushes: arrivals.size, complete: complete.length, bytesPerPush: bytes / Math.max(1, messages) })}\n`,
);
for (const socket of sockets) socket.terminate();
agent.destroy();
process.exit(0);
