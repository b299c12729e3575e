import { describe, expect, it } from 'vitest';
import type { Sample } from '../../domain/monitoring/sample';
import { ProbeCollector } from './probe-collector';

const sample = (serverId: string, kind: Sample['kind'], rttMs: number | null, code?: number): Sample => ({
  serverId,
  kind,
  at: 0,
  rttMs,
  ...(code === undefined ? {} : { code }),
});

describe('probe collector', () => {
  it('counts probes, losses, a round-trip histogram in seconds, and the last SIP code', () => {
    const c = new ProbeCollector();
    c.observe(sample('a', 'sip-udp', 0.5, 200));
    c.observe(sample('a', 'sip-udp', 3, 503));
    c.observe(sample('a', 'sip-udp', null));
    c.observe(sample('a', 'icmp', 0.05));
    const sip = c.countsOf('a')?.get('sip-udp');
    expect(sip).toMatchObject({ probes: 3, lost: 1, answered: 2, lastCode: 0 });
    expect(sip?.sumSeconds).toBeCloseTo(0.0035, 12);
    // 0.5 ms is in (0.16, 0.64]; 3 ms in (2.56, 10.24].
    expect([...(sip?.buckets ?? [])]).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(c.countsOf('a')?.get('icmp')).toMatchObject({ probes: 1, lost: 0, answered: 1, lastCode: null });
    c.observe(sample('a', 'sip-udp', 1, 404));
    expect(c.countsOf('a')?.get('sip-udp')?.lastCode).toBe(404);
    expect(c.countsOf('b')).toBeUndefined();
  });

  it('only ever counts up', () => {
    const c = new ProbeCollector();
    let before = { probes: 0, lost: 0, answered: 0, sum: 0, buckets: 0 };
    for (let i = 0; i < 500; i += 1) {
      c.observe(sample('a', 'sip-tcp', i % 7 === 0 ? null : (i * 37) % 20_000, 200));
      const now = c.countsOf('a')?.get('sip-tcp');
      if (!now) throw new Error('no counts');
      const next = {
        probes: now.probes,
        lost: now.lost,
        answered: now.answered,
        sum: now.sumSeconds,
        buckets: now.buckets.reduce((s, v) => s + v, 0),
      };
      expect(next.probes).toBe(before.probes + 1);
      expect(next.lost).toBeGreaterThanOrEqual(before.lost);
      expect(next.answered).toBeGreaterThanOrEqual(before.answered);
      expect(next.sum).toBeGreaterThanOrEqual(before.sum);
      expect(next.buckets).toBe(next.answered);
      before = next;
    }
    expect(before.lost + before.answered).toBe(500);
  });

  it('forgets servers no longer in the fleet', () => {
    const c = new ProbeCollector();
    for (const id of ['a', 'b', 'c']) c.observe(sample(id, 'icmp', 1));
    c.retain(new Set(['a', 'c']));
    expect(c.serverCount).toBe(2);
    expect(c.countsOf('b')).toBeUndefined();
    expect(c.countsOf('a')?.get('icmp')?.probes).toBe(1);
  });
});
