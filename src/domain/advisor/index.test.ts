import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../platform/fleet-builder';
import { ADVISOR_RULES, advise } from './index';

describe('the advisor', () => {
  it('registers every rule once', () => {
    const ids = ADVISOR_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(14);
  });

  it('lists errors first, then warnings, then notes', () => {
    const fleet = sketchFleet([
      { id: 'trace', zoneId: 'p', config: { tcpSipTrace: true } },
      { id: 'old', zoneId: 'q', expiresAt: 1 },
      { id: 'd1', type: 'dispatcher', zoneId: 'x' },
      { id: 'd2', type: 'dispatcher', zoneId: 'y' },
    ]);
    const findings = advise(fleet, Date.UTC(2026, 0, 1), { expiringSoonDays: 14 });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['server-expiry', 'error'],
      ['unclustered-load-balancing', 'warning'],
      ['tcp-sip-trace', 'warning'],
    ]);
  });

  it('a clean fleet has no findings', () => {
    expect(advise(sketchFleet([{ id: 'a' }]), 0, { expiringSoonDays: 14 })).toEqual([]);
  });
});
