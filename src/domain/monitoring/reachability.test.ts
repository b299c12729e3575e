import { describe, expect, it } from 'vitest';
import { reachabilityHint, reachabilityOf, statusLabel } from './reachability';

describe('reachabilityOf', () => {
  it('says "SIP down, host up" when SIP is down and the last ICMP echo answered', () => {
    const reach = reachabilityOf({ status: 'down', icmp: { rttMs: 0.05 } });
    expect(reach).toBe('sip-down-host-up');
    expect(statusLabel('down', reach)).toBe('SIP down, host up');
    expect(reachabilityHint(reach)).toMatch(/host answers ICMP/);
  });

  it('says "Unreachable" when the last ICMP echo was lost too', () => {
    const reach = reachabilityOf({ status: 'down', icmp: { rttMs: null } });
    expect(reach).toBe('unreachable');
    expect(statusLabel('down', reach)).toBe('Unreachable');
  });

  it('keeps plain "Down" when ICMP is not probed: nothing is known about the host', () => {
    expect(reachabilityOf({ status: 'down', icmp: null })).toBeNull();
    expect(statusLabel('down', null)).toBe('Down');
  });

  it('says nothing about reachability for a server that is not down', () => {
    for (const status of ['online', 'degraded', 'stopped', 'expired', 'unknown'] as const) {
      expect(reachabilityOf({ status, icmp: { rttMs: null } })).toBeNull();
      expect(reachabilityOf({ status, icmp: { rttMs: 1 } })).toBeNull();
    }
    expect(statusLabel('degraded', 'unreachable')).toBe('Degraded');
    expect(statusLabel('online')).toBe('Online');
  });
});
