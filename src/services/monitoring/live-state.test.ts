import { describe, expect, it } from 'vitest';
import { TlsPin } from '../../contract/fleet';
import { DEFAULT_THRESHOLDS } from '../../domain/monitoring/status';
import type { Sample } from '../../domain/monitoring/sample';
import { LiveState, SPARK_SAMPLES, type AdminView } from './live-state';
import { probeKindsFor } from './monitored-server';
import { defaultConfig } from '../../domain/fleet/defaults';

const running: AdminView = { adminState: 'running', expiresAt: null };
const sip = (at: number, rttMs: number | null, code = 200): Sample => ({
  serverId: 'a',
  kind: 'sip-udp',
  at,
  rttMs,
  ...(rttMs === null ? {} : { code }),
});

describe('live state', () => {
  it('derives online, then down after consecutive losses, and reports each change once', () => {
    const live = new LiveState({ ...DEFAULT_THRESHOLDS, downAfterLosses: 2 });
    const admin = new Map([['a', running]]);
    expect(live.derive(admin, 0)).toEqual([]);
    live.add(sip(1_000, 0.5));
    expect(live.derive(admin, 1_000)).toEqual([{ serverId: 'a', at: 1_000, from: 'unknown', to: 'online', reason: '', reach: null }]);
    expect(live.derive(admin, 1_500)).toEqual([]);
    live.add(sip(2_000, null));
    expect(live.derive(admin, 2_000).map((c) => c.to)).toEqual(['degraded']);
    live.add(sip(3_000, null));
    const [down] = live.derive(admin, 3_000);
    expect(down).toMatchObject({ from: 'degraded', to: 'down', reason: 'SIP UDP: 2 lost in a row' });
    expect(live.status('a')).toBe('down');
  });

  it('tells a down server whose host still answers ICMP from an unreachable one', () => {
    const icmp = (serverId: string, at: number, rttMs: number | null): Sample => ({ serverId, kind: 'icmp', at, rttMs });
    const live = new LiveState({ ...DEFAULT_THRESHOLDS, downAfterLosses: 2 });
    for (const at of [1_000, 2_000]) {
      live.add({ ...sip(at, null), serverId: 'up' });
      live.add(icmp('up', at, 0.05));
      live.add({ ...sip(at, null), serverId: 'gone' });
      live.add(icmp('gone', at, null));
    }
    const changes = live.derive(
      new Map([
        ['up', running],
        ['gone', running],
      ]),
      2_000,
    );
    expect(changes.map((c) => [c.serverId, c.to, c.reach])).toEqual([
      ['up', 'down', 'sip-down-host-up'],
      ['gone', 'down', 'unreachable'],
    ]);
  });

  it('turns stopped and expired at once, without new samples', () => {
    const live = new LiveState(DEFAULT_THRESHOLDS);
    live.add(sip(1_000, 1));
    live.derive(new Map([['a', running]]), 1_000);
    expect(live.derive(new Map([['a', { adminState: 'running', expiresAt: 5_000 }]]), 6_000).map((c) => c.to)).toEqual(['expired']);
    expect(live.derive(new Map([['a', { adminState: 'stopped', expiresAt: null }]]), 7_000).map((c) => c.to)).toEqual(['stopped']);
  });

  it('hands out each change once, with the round trips added since the last push, and caps the sparkline', () => {
    const live = new LiveState(DEFAULT_THRESHOLDS);
    for (let i = 0; i < SPARK_SAMPLES + 10; i += 1) live.add(sip(i * 1_000, i % 7 === 0 ? null : i));
    live.add({ serverId: 'a', kind: 'icmp', at: 500, rttMs: 0.05 });
    live.derive(new Map([['a', running]]), 100_000);
    const [update] = live.takeUpdates();
    // More than a sparkline's worth since the last push: the newest sparkline's worth (all a page keeps).
    expect(update?.addedSip).toHaveLength(SPARK_SAMPLES);
    expect(update?.addedSip.at(-1)).toBe(SPARK_SAMPLES + 9);
    expect(update?.addedIcmp).toEqual([0.05]);
    expect(update?.sip).toEqual({ rttMs: SPARK_SAMPLES + 9, code: 200, at: (SPARK_SAMPLES + 9) * 1_000 });
    expect(live.takeUpdates()).toEqual([]);
    expect(live.entry('a').sparkSip).toHaveLength(SPARK_SAMPLES);
    live.add(sip(200_000, 3, 503));
    live.derive(new Map([['a', running]]), 200_000);
    expect(live.takeUpdates()[0]).toMatchObject({
      addedSip: [3],
      status: 'degraded',
      reason: expect.stringContaining('SIP UDP answers 503'),
    });
  });

  it('puts a late sample in its place in the window', () => {
    const live = new LiveState(DEFAULT_THRESHOLDS);
    live.add(sip(2_000, 2));
    live.add(sip(1_000, 1));
    expect(live.entry('a').sparkSip).toEqual([1, 2]);
  });
});

describe('probe kinds from a server config', () => {
  it('always SIP UDP and TCP connect; SIP TCP only on its own port; TLS when the server uses it or a pin is set', () => {
    const config = defaultConfig();
    expect(probeKindsFor({ config }, true)).toEqual(['sip-udp', 'icmp', 'tcp']);
    expect(probeKindsFor({ config: { ...config, ports: { udp: 5060, tcp: 5080, tls: 5061 } } }, false)).toEqual([
      'sip-udp',
      'sip-tcp',
      'tcp',
    ]);
    expect(probeKindsFor({ config: { ...config, webrtcTls: true } }, true)).toContain('sip-tls');
    expect(probeKindsFor({ config: { ...config, tlsPin: 'ab'.repeat(32) } }, true)).toContain('sip-tls');
  });

  it('accepts a SHA-256 pin with or without colons and refuses anything else', () => {
    const hex = 'A1'.repeat(32);
    expect(TlsPin.safeParse(hex).success).toBe(true);
    expect(TlsPin.safeParse(hex.match(/../g)?.join(':')).success).toBe(true);
    for (const bad of ['', 'A1'.repeat(31), `${hex}00`, 'zz'.repeat(32), `${'A1:'.repeat(31)}A`])
      expect(TlsPin.safeParse(bad).success, bad).toBe(false);
  });
});
