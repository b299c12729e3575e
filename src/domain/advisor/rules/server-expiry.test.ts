import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { serverExpiry as rule } from './server-expiry';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const DAY = 86_400_000;

describe(rule.id, () => {
  it('errors for an expired server and warns within the expiring-soon setting', () => {
    const fleet = sketchFleet([
      { id: 'old', expiresAt: NOW },
      { id: 'soon', expiresAt: NOW + 3 * DAY },
    ]);
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings.map((f) => [f.servers[0]!.alias, f.severity, f.field])).toEqual([
      ['old', 'error', 'expiresAt'],
      ['soon', 'warning', 'expiresAt'],
    ]);
    expect(findings[1]!.message).toBe('soon expires in 3 days.');
  });
  it('is quiet for no expiry and for one beyond the setting', () => {
    const fleet = sketchFleet([{ id: 'a' }, { id: 'b', expiresAt: NOW + 15 * DAY }]);
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
    expect(rule.check(fleet, NOW, { expiringSoonDays: 20 })).toHaveLength(1);
  });
});
