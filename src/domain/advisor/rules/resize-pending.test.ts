import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { resizePending as rule } from './resize-pending';

const NOW = Date.UTC(2026, 5, 1, 14, 20);
const SETTINGS = { expiringSoonDays: 14 };

describe(rule.id, () => {
  it('shows the pending size beside the one still counted, and when it applies', () => {
    const fleet = {
      ...sketchFleet([{ id: 'a', channels: 200 }]),
      resizes: [{ serverId: 'a', previousChannels: 200, channels: 1500, requestedAt: NOW - 3 * 60_000, activeAt: NOW + 12 * 60_000 }],
    };
    const [finding] = rule.check(fleet, NOW, SETTINGS);
    expect(finding).toMatchObject({ severity: 'info', field: 'channels' });
    expect(finding?.message).toMatch(
      /resized from 200 to 1,500 channels, active in 12 min \(at 14:32 UTC\); until then the limits and the advisor count 200/,
    );
  });
  it('is quiet once the resize is active', () => {
    const fleet = {
      ...sketchFleet([{ id: 'a' }]),
      resizes: [{ serverId: 'a', previousChannels: 200, channels: 1500, requestedAt: NOW - 20 * 60_000, activeAt: NOW - 5 * 60_000 }],
    };
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
