import { describe, expect, it } from 'vitest';
import { advise } from '../index';
import type { AdvisorFleet, AdvisorMediaChoice } from '../finding';
import { MEDIA_DETOUR_MARGIN_MS, mediaZoneDetour } from './media-zone-detour';
import { defaultServerDraft } from '../../fleet/defaults';

// Figures as a Media path measurement stores them (round trips in ms), injected: this machine has
// no netem to make real paths this far apart.

const server = { ...defaultServerDraft('z-blr'), id: 'sw1', ip: '192.0.2.10', alias: 'sw1', updatePending: false };
const zones = [
  { zoneId: 'blr', zoneName: 'Bangalore', pathMs: 222 },
  { zoneId: 'lon', zoneName: 'London', pathMs: 260 },
  { zoneId: 'nyc', zoneName: 'New York', pathMs: 235 },
  { zoneId: 'syd', zoneName: 'Sydney', pathMs: null },
];
const choice = (mediaZoneId: string | null): AdvisorMediaChoice => ({
  serverId: 'sw1',
  mediaZoneId,
  measuredAt: 1,
  customer: '203.0.113.5',
  carrier: '198.51.100.7',
  zones,
});
const fleetWith = (media: AdvisorMediaChoice[]): AdvisorFleet => ({ servers: [server], clusters: [], media });
const settings = { expiringSoonDays: 7 };

describe('media zone detour', () => {
  it('flags a media zone that adds much more than the best zone measured, naming both', () => {
    const [f] = mediaZoneDetour.check(fleetWith([choice('lon')]), 0, settings);
    expect(f).toMatchObject({ rule: 'media-zone-detour', severity: 'warning', servers: [{ id: 'sw1' }], field: 'config.mediaZone' });
    expect(f?.message).toBe(
      "sw1's media zone London adds 38.0 ms more round trip than Bangalore, the best zone measured (customer 203.0.113.5, carrier 198.51.100.7).",
    );
    expect(f?.fix).toMatch(/^Use Bangalore as the media zone of sw1/);
  });

  it('stays quiet within the margin, for automatic, for the best zone and for a zone without a figure', () => {
    expect(235 - 222).toBeLessThan(MEDIA_DETOUR_MARGIN_MS);
    for (const zone of ['nyc', null, 'blr', 'syd', 'gone'])
      expect(mediaZoneDetour.check(fleetWith([choice(zone)]), 0, settings)).toEqual([]);
  });

  it('runs with the other rules, and ignores a measurement of a server no longer in the fleet', () => {
    expect(advise(fleetWith([choice('lon')]), 0, settings).filter((f) => f.rule === 'media-zone-detour')).toHaveLength(1);
    expect(advise(fleetWith([{ ...choice('lon'), serverId: 'gone' }]), 0, settings).filter((f) => f.rule === 'media-zone-detour')).toEqual(
      [],
    );
  });
});
