import { describe, expect, it } from 'vitest';
import { callRate, channelsInUse, type CounterReading } from './call-rate';

const at = (clockSec: number, processed: number, kamailioUptimeSec: number | null = clockSec - 100): CounterReading => ({
  clockSec,
  processed,
  kamailioUptimeSec,
});

describe('callRate', () => {
  it('is the growth of the dialog counter over the server clock between two polls', () => {
    expect(callRate(at(1000, 500), at(1030, 800))).toBe(10);
    expect(callRate(at(1000, 500), at(1030.5, 500))).toBe(0);
    expect(callRate(at(1000, 0), at(1003, 10))).toBe(3.33);
  });

  it('has no rate without a reading before', () => {
    expect(callRate(null, at(1000, 5))).toBeNull();
  });

  it('a restarted Kamailio starts a new count: no rate, even when the counter grew past the old one', () => {
    expect(callRate(at(1000, 50, 900), at(1030, 200, 10))).toBeNull();
    expect(callRate(at(1000, 50, 900), at(1030, 20, 10))).toBeNull();
  });

  it('a rebooted server (its clock went back) starts a new count', () => {
    expect(callRate(at(100_000, 50), at(60, 80))).toBeNull();
  });

  it('a counter that went back without a known uptime is not a negative rate', () => {
    expect(callRate(at(1000, 50, null), at(1030, 20, null))).toBeNull();
  });

  it('spans too short to mean anything, or too long to say anything about now, give none', () => {
    expect(callRate(at(1000, 0), at(1000.5, 10))).toBeNull();
    expect(callRate(at(1000, 0), at(1000 + 16 * 60, 10))).toBeNull();
  });

  it('channels in use are the answered calls and the ringing ones', () => {
    expect(channelsInUse({ active: 12, early: 3 })).toBe(15);
  });
});
