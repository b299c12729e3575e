import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { tcpSipTrace as rule } from './tcp-sip-trace';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('flags TCP SIP trace left on', () => {
    expect(rule.check(sketchFleet([{ id: 'a', config: { tcpSipTrace: true } }]), NOW, SETTINGS)).toEqual([
      expect.objectContaining({ field: 'config.tcpSipTrace' }),
    ]);
  });
  it('is quiet with UDP traces (the default)', () => {
    expect(rule.check(sketchFleet([{ id: 'a' }]), NOW, SETTINGS)).toEqual([]);
  });
});
