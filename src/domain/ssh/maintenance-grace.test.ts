import { describe, expect, it } from 'vitest';
import { maintenanceGraceMs } from './maintenance-grace';

describe('maintenance grace after an action', () => {
  it("takes the recipe's own grace, else the action's default", () => {
    expect(maintenanceGraceMs({ action: 'restart', maintenanceGraceSec: 30 }, {})).toBe(30_000);
    expect(maintenanceGraceMs({ action: 'os-cycle' }, {})).toBe(900_000);
  });

  it('gives a resize over 1,000 channels the reboot grace (10 minutes by default)', () => {
    expect(maintenanceGraceMs({ action: 'resize', maintenanceGraceSec: 60 }, { channels: '1000' })).toBe(60_000);
    expect(maintenanceGraceMs({ action: 'resize', maintenanceGraceSec: 60 }, { channels: '1001' })).toBe(600_000);
    expect(maintenanceGraceMs({ action: 'resize', maintenanceGraceSec: 60, rebootGraceSec: 1200 }, { channels: '5000' })).toBe(1_200_000);
  });
});
