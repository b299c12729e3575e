import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { pendingUpdateManual as rule } from './pending-update-manual';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('flags a pending update with Auto Upgrade off', () => {
    expect(rule.check(sketchFleet([{ id: 'a', updatePending: true }]), NOW, SETTINGS)).toEqual([
      expect.objectContaining({ field: 'config.autoUpgrade', severity: 'warning' }),
    ]);
  });
  it('is quiet with Auto Upgrade on or nothing pending', () => {
    expect(rule.check(sketchFleet([{ id: 'a', updatePending: true, config: { autoUpgrade: true } }, { id: 'b' }]), NOW, SETTINGS)).toEqual(
      [],
    );
  });
});
