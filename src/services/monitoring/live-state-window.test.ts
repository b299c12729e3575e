import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, deriveStatus } from '../../domain/monitoring/status';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { LiveState, reasonText, SPARK_SAMPLES, type AdminView } from './live-state';

// The live status reads each kind's last `windowSamples` samples of the sparkline it keeps (60):
// the same verdict as the status rules given every sample kept, older samples never counted.

const running: AdminView = { adminState: 'running', expiresAt: null };
const sample = (kind: ProbeKind, at: number, rttMs: number | null): Sample => ({
  serverId: 'a',
  kind,
  at,
  rttMs,
  ...(rttMs === null ? {} : { code: 200 }),
});

describe('live status over the window', () => {
  it('losses older than the window no longer count; the verdict equals the rules over every kept sample', () => {
    const live = new LiveState(DEFAULT_THRESHOLDS);
    const admin = new Map([['a', running]]);
    const kept: Sample[] = [];
    // 40 lost SIP probes, then a window of answers; ICMP slow throughout, interleaved out of order.
    for (let i = 0; i < SPARK_SAMPLES; i += 1) {
      const at = 1_000 * (i + 1);
      const s = sample('sip-udp', at, i < SPARK_SAMPLES - DEFAULT_THRESHOLDS.windowSamples ? null : 0.4);
      const p = sample('icmp', at + (i % 2 === 0 ? 300 : -300), 400);
      live.add(p);
      live.add(s);
      kept.push(s, p);
    }
    const [change] = live.derive(admin, 61_000);
    const expected = deriveStatus({ adminState: 'running', expiresAt: null, now: 61_000, samples: kept, thresholds: DEFAULT_THRESHOLDS });
    expect(expected.status).toBe('degraded');
    expect(change).toMatchObject({ to: expected.status, reason: 'ICMP: median 400 ms' });

    // Two more losses: inside the window, counted (10 % of 20).
    live.add(sample('sip-udp', 62_000, null));
    live.add(sample('sip-udp', 63_000, null));
    live.derive(admin, 63_000);
    expect(live.summary('a').reason.split('; ').sort()).toEqual(['ICMP: median 400 ms', 'SIP UDP: 10 % loss']);
  });

  it('over random streams (losses, slow and 503 answers, late arrivals) it says what the rules say over every kept sample', () => {
    let seed = 17;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const thresholds = { ...DEFAULT_THRESHOLDS, windowSamples: 7, downAfterLosses: 3 };
    const kinds: ProbeKind[] = ['sip-udp', 'icmp', 'tcp'];
    for (let round = 0; round < 40; round += 1) {
      const live = new LiveState(thresholds);
      const admin = new Map([['a', running]]);
      const kept = new Map<ProbeKind, Sample[]>();
      const steps = 1 + Math.floor(random() * 150);
      for (let i = 0; i < steps; i += 1) {
        const kind = kinds[Math.floor(random() * kinds.length)] as ProbeKind;
        const r = random();
        const rtt = r < 0.3 ? null : r < 0.4 ? 300 + random() * 100 : random() * 5;
        // Now and then a probe finishes after a later one.
        const at = i * 1_000 - (random() < 0.1 ? 1_500 : 0);
        const s: Sample = { serverId: 'a', kind, at, rttMs: rtt, ...(rtt === null ? {} : { code: random() < 0.05 ? 503 : 200 }) };
        live.add(s);
        const list = [...(kept.get(kind) ?? []), s].sort((x, y) => x.at - y.at).slice(-SPARK_SAMPLES);
        kept.set(kind, list);
        if (random() < 0.3) live.derive(admin, at);
      }
      live.derive(admin, steps * 1_000);
      const expected = deriveStatus({
        adminState: 'running',
        expiresAt: null,
        now: steps * 1_000,
        samples: [...kept.values()].flat(),
        thresholds,
      });
      expect(live.summary('a'), `round ${round}`).toMatchObject({ status: expected.status, reason: reasonText(expected.reasons) });
    }
  });
});
