// What the scheduler tests share: a monitored server on loopback and probes counted per second.
import type { MonitoredServer } from '../../src/services/probes/scheduler';

export const server = (id: string, extra: Partial<MonitoredServer> = {}): MonitoredServer => ({
  id,
  host: '127.0.0.1',
  ports: { udp: 5060, tcp: 5060, tls: 5061 },
  adminState: 'running',
  expiresAt: null,
  kinds: ['sip-udp'],
  ...extra,
});

/** How many calls fell in each whole second of [from, to). */
export function perSecond(calls: { at: number }[], from: number, to: number): number[] {
  const counts = new Map<number, number>();
  for (const c of calls) if (c.at >= from && c.at < to) counts.set(Math.floor(c.at / 1000), (counts.get(Math.floor(c.at / 1000)) ?? 0) + 1);
  const out: number[] = [];
  for (let s = Math.ceil(from / 1000); s < Math.floor(to / 1000); s += 1) out.push(counts.get(s) ?? 0);
  return out;
}
