import { describe, expect, it } from 'vitest';
import type { ProbeKind, Sample } from './sample';
import { deriveStatus, StatusThresholds } from './status';

const t = StatusThresholds.parse({ maxLossPct: 10, maxLatencyMs: 100, downAfterLosses: 3, windowSamples: 10 });
const run = (kind: ProbeKind, rtts: (number | null)[], code?: number): Sample[] =>
  rtts.map((rttMs, i) => ({ serverId: 's1', kind, at: 1_000 + i * 5_000, rttMs, ...(code === undefined ? {} : { code }) }));
const status = (samples: Sample[], extra: Partial<{ adminState: 'running' | 'stopped'; expiresAt: number | null }> = {}) =>
  deriveStatus({ adminState: 'running', expiresAt: null, now: 100_000, samples, thresholds: t, ...extra });

describe('deriveStatus', () => {
  it('is stopped or expired before anything the samples say', () => {
    const dead = run('sip-udp', [null, null, null, null]);
    expect(status(dead, { adminState: 'stopped' }).status).toBe('stopped');
    expect(status(dead, { expiresAt: 100_000 }).status).toBe('expired');
    expect(status(dead, { expiresAt: 100_001 }).status).toBe('down');
  });

  it('is unknown with no samples and online when every threshold holds', () => {
    expect(status([]).status).toBe('unknown');
    expect(status([...run('sip-udp', [10, 12, 11, null, 9, 10, 10, 10, 10, 10]), ...run('icmp', [1, 1, 1])])).toEqual({
      status: 'online',
      reasons: [],
    });
  });

  it('is down after N consecutive losses on every SIP transport, not before', () => {
    expect(status(run('sip-udp', [5, null, null])).status).toBe('degraded');
    expect(status(run('sip-udp', [5, null, null, null]))).toMatchObject({
      status: 'down',
      reasons: [{ kind: 'sip-udp', rule: 'consecutive-loss', losses: 3 }],
    });
    // TLS still answers: degraded, not down.
    expect(status([...run('sip-udp', [null, null, null]), ...run('sip-tls', [20, 20, 20])]).status).toBe('degraded');
    // A server that drops ping but answers SIP is not down.
    expect(status([...run('sip-udp', [5, 5, 5]), ...run('icmp', [null, null, null, null])]).status).toBe('degraded');
    // Without SIP probes, ICMP and TCP decide.
    expect(status([...run('icmp', [null, null, null]), ...run('tcp', [null, null, null])]).status).toBe('down');
    // An answer after the losses ends the streak.
    expect(status(run('sip-udp', [null, null, null, 4])).status).toBe('degraded');
  });

  it('is degraded for loss over the threshold, a median over the latency limit, or a 5xx answer', () => {
    expect(status(run('sip-udp', [5, null, 5, null, 5, 5, 5, 5, 5, 5]))).toMatchObject({
      status: 'degraded',
      reasons: [{ rule: 'loss', lossPct: 20 }],
    });
    expect(status(run('sip-udp', [5, 5, 5, 5, 5, 5, 5, 5, 5, null])).status).toBe('online');
    expect(status(run('sip-udp', [150, 150, 150, 20]))).toMatchObject({
      status: 'degraded',
      reasons: [{ rule: 'latency', medianMs: 150 }],
    });
    // One slow outlier does not flap the status: the median is what counts.
    expect(status(run('sip-udp', [5, 5, 900, 5])).status).toBe('online');
    expect(status(run('sip-udp', [5, 5, 5], 503))).toMatchObject({ status: 'degraded', reasons: [{ rule: 'flagged-code', code: 503 }] });
    expect(status(run('sip-udp', [5, 5, 5], 302)).status).toBe('online');
  });

  it('looks only at the latest window of samples, in time order whatever the input order', () => {
    const old = run('sip-udp', [null, null, null, null, null, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(status(old).status).toBe('online');
    expect(status([...old].reverse()).status).toBe('online');
  });
});
