// One second of a fleet's probes for the storage tests: the servers whose slot falls in second `s`
// (every `spread`-th one), each kind, with losses and 503s at fixed strides so a run is repeatable.
import type { ProbeKind, Sample } from '../../src/domain/monitoring/sample';

export interface ProbeSecondOptions {
  t0: number;
  servers: number;
  /** Seconds one round of the fleet takes: a server is probed once in this many. */
  spread: number;
  kinds: readonly ProbeKind[];
}

export function probeSecond(s: number, o: ProbeSecondOptions): Sample[] {
  const out: Sample[] = [];
  for (let i = s % o.spread; i < o.servers; i += o.spread) {
    const n = s * o.servers + i;
    const at = o.t0 + s * 1_000 + i;
    for (const kind of o.kinds) {
      if (kind === 'sip-udp')
        out.push(
          n % 13 === 0
            ? { serverId: `s${i}`, kind, at, rttMs: null }
            : { serverId: `s${i}`, kind, at, rttMs: 0.3 + (n % 97) / 7, code: n % 11 === 0 ? 503 : 200 },
        );
      else if (kind === 'icmp') out.push({ serverId: `s${i}`, kind, at, rttMs: n % 17 === 0 ? null : 0.1 + (n % 41) / 3 });
      else out.push({ serverId: `s${i}`, kind, at, rttMs: 0.05 + (n % 7) / 10 });
    }
  }
  return out;
}
