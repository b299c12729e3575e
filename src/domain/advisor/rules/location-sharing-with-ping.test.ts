import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { locationSharingWithPing as rule } from './location-sharing-with-ping';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('flags location sharing with UAC ping on', () => {
    const findings = rule.check(sketchFleet([{ id: 'a', config: { uacLocationSharing: true } }]), NOW, SETTINGS);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', field: 'config.disableUacPing' })]);
  });
  it('is quiet when UAC ping is disabled or sharing is off', () => {
    const fleet = sketchFleet([{ id: 'a', config: { uacLocationSharing: true, disableUacPing: true } }, { id: 'b' }]);
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
