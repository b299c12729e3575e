// Probe samples shaped like a real fleet's, for the storage benchmarks: each server has its own
// usual round trip (0.2 to 80 ms, spread log-uniformly: a LAN rack to another continent), jitter
// around it of 2 % plus 20 µs, an occasional spike (0.5 %: 1.5 to 5 times the usual), losses
// (0.3 % alone, and now and then a burst of a few), and on one server in ten SIP answering 503
// for 1 % of its probes. Times are the scheduler's: slots every interval, spread across it per
// server, each stamped a few milliseconds late as a timer fires. Round trips are whole
// microseconds, as the store keeps them. Seeded, so every run and every format sees the same.
import type { ProbeKind, Sample } from '../../../src/domain/monitoring/sample';

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: fast, and plenty for shaping test data.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export interface FleetShape {
  servers: number;
  kinds: readonly ProbeKind[];
  intervalMs: number;
  seed?: number;
}

interface ServerState {
  id: string;
  baseMs: number;
  offsetMs: number;
  flaky: boolean;
  burstLeft: number;
}

/**
 * Yields one batch per second of probe time from `from` to `to` (what the writer flushes), each
 * with the samples whose slots fell in that second.
 */
export function* realisticBatches(shape: FleetShape, from: number, to: number): Generator<Sample[]> {
  const rand = seededRandom(shape.seed ?? 42);
  const gauss = () => rand() + rand() + rand() + rand() - 2; // about N(0, 0.58)
  const servers: ServerState[] = Array.from({ length: shape.servers }, (_, i) => ({
    id: `server-${String(i).padStart(5, '0')}`,
    baseMs: 0.2 * Math.exp(rand() * Math.log(400)),
    offsetMs: Math.floor((i * shape.intervalMs) / shape.servers),
    flaky: i % 10 === 3,
    burstLeft: 0,
  }));
  const sample = (server: ServerState, kind: ProbeKind, slot: number): Sample => {
    const at = slot + Math.round(Math.abs(gauss()) * 2);
    if (server.burstLeft > 0 || rand() < 0.003) {
      if (server.burstLeft > 0) server.burstLeft -= 1;
      else if (rand() < 0.1) server.burstLeft = 2 + Math.floor(rand() * 6);
      return { serverId: server.id, kind, at, rttMs: null };
    }
    const spike = rand() < 0.005 ? 1.5 + rand() * 3.5 : 1;
    const rttUs = Math.max(1, Math.round((server.baseMs * spike + gauss() * (server.baseMs * 0.02 + 0.02) * 1.7) * 1000));
    const rttMs = rttUs / 1000;
    if (kind === 'icmp') return { serverId: server.id, kind, at, rttMs };
    return { serverId: server.id, kind, at, rttMs, code: server.flaky && rand() < 0.01 ? 503 : 200 };
  };
  for (let second = from; second < to; second += 1_000) {
    const batch: Sample[] = [];
    for (const server of servers) {
      // The server's slots that start within this second.
      const phase = (((second - from - server.offsetMs) % shape.intervalMs) + shape.intervalMs) % shape.intervalMs;
      const first = phase === 0 ? second : second + (shape.intervalMs - phase);
      for (let slot = first; slot < second + 1_000 && slot < to; slot += shape.intervalMs)
        for (const kind of shape.kinds) batch.push(sample(server, kind, slot));
    }
    yield batch;
  }
}
