import { describe, expect, it } from 'vitest';
import { behindBest, MEDIA_RULE, rankMediaZones, type PathFigure, type RtpProbe } from './ranking';

// The figures are injected as the service would hand them over from ping: this machine's kernel
// has no netem, so real paths here are all loopback-fast; these stand for a WAN fleet
// (customer in Bangalore, carrier in New York) with round trips as ping reports them.

const ok = (rttMs: number, lossPct = 0): PathFigure => ({ rttMs, lossPct, error: null });
const fail = (error: string): PathFigure => ({ rttMs: null, lossPct: null, error });
const probe = (rtpId: string, zoneId: string, customer: PathFigure, carrier: PathFigure): RtpProbe => ({
  rtpId,
  alias: rtpId,
  ip: `192.0.2.${rtpId.length}`,
  zoneId,
  customer,
  carrier,
});
const ZONES = [
  { id: 'blr', name: 'Bangalore' },
  { id: 'nyc', name: 'New York' },
  { id: 'lon', name: 'London' },
  { id: 'syd', name: 'Sydney' },
];

describe('rankMediaZones', () => {
  it('ranks zones by customer→RTP + RTP→carrier, and the added latency over the direct path', () => {
    const r = rankMediaZones(
      [
        probe('blr1', 'blr', ok(2), ok(220)),
        probe('nyc1', 'nyc', ok(221), ok(1.5)),
        probe('lon1', 'lon', ok(130), ok(75)),
        probe('lon2', 'lon', ok(140), ok(80)),
        probe('syd1', 'syd', ok(150), ok(210)),
      ],
      ZONES,
      200,
    );
    expect(r.zones.map((z) => [z.zoneName, z.rank])).toEqual([
      ['London', 1],
      ['Bangalore', 2],
      ['New York', 3],
      ['Sydney', 4],
    ]);
    expect(r.zones[0]).toMatchObject({ via: { alias: 'lon1' }, pathMs: 205, addedMs: 5, behindBestMs: 0, servers: 2, answered: 2 });
    expect(r.zones[1]).toMatchObject({ pathMs: 222, addedMs: 22, behindBestMs: 17 });
    expect(r.zones[3]?.addedMs).toBe(160);
    expect(r.verdict).toBe(
      'London adds 5.00 ms round trip to the direct path (200 ms), through lon1, 17.0 ms less than Bangalore, the next best.',
    );
  });

  it('works without a direct figure: the added column stays empty, the path still ranks', () => {
    const r = rankMediaZones([probe('blr1', 'blr', ok(2), ok(220)), probe('syd1', 'syd', ok(150), ok(210))], ZONES, null);
    expect(r.zones.map((z) => z.addedMs)).toEqual([null, null]);
    expect(r.zones[0]?.zoneName).toBe('Bangalore');
    expect(r.verdict).toMatch(/^Bangalore gives a 222 ms round trip customer → media → carrier, through blr1, 138 ms less than Sydney/);
  });

  it('a zone counts by its best server; one whose servers all failed is listed last with the reason', () => {
    const r = rankMediaZones(
      [
        probe('nyc1', 'nyc', fail('nyc1 (192.0.2.4): SSH refused'), ok(1)),
        probe('nyc2', 'nyc', ok(210), ok(3)),
        probe('blr1', 'blr', fail('RTP server blr1 (192.0.2.4) got no answer from the customer 203.0.113.5'), fail('x')),
      ],
      ZONES,
      null,
    );
    expect(r.zones.map((z) => [z.zoneName, z.rank, z.answered, z.servers])).toEqual([
      ['New York', 1, 1, 2],
      ['Bangalore', null, 0, 1],
    ]);
    expect(r.zones[1]?.note).toBe('RTP server blr1 (192.0.2.4) got no answer from the customer 203.0.113.5');
    expect(r.verdict).toMatch(/It is the only zone that could be measured\.$/);
  });

  it('calls zones within half a millisecond level, and notes loss on the chosen path', () => {
    const r = rankMediaZones([probe('a', 'blr', ok(0.05), ok(0.06)), probe('b', 'nyc', ok(0.07), ok(0.05, 20))], ZONES, 0.04);
    expect(r.verdict).toBe(
      'Bangalore adds no measurable latency to the direct path (0.040 ms), through a; New York is level with it (within 0.5 ms): either will do.',
    );
    expect(r.zones[1]?.note).toBe('b lost 20% of its pings on the way.');
  });

  it('says so when the media path beats the direct one (routes are not a metric)', () => {
    const r = rankMediaZones([probe('lon1', 'lon', ok(88), ok(79)), probe('nyc1', 'nyc', ok(182), ok(2))], ZONES, 168);
    expect(r.zones[0]?.addedMs).toBe(-1);
    expect(r.verdict).toBe(
      'London adds nothing to the direct path (168 ms): its media path is 1.00 ms shorter, through lon1, 17.0 ms less than New York, the next best.',
    );
  });

  it('says so when nothing could be measured', () => {
    const r = rankMediaZones([probe('a', 'blr', fail('down'), fail('down'))], ZONES, null);
    expect(r.zones[0]?.rank).toBeNull();
    expect(r.verdict).toMatch(/^No zone could be measured/);
  });

  it('the rule is the reference’s, in words', () => {
    expect(MEDIA_RULE).toMatch(/least latency/);
    expect(MEDIA_RULE).toMatch(/Bangalore.*New York/);
  });
});

describe('behindBest', () => {
  it('measures a chosen zone against the best, and refuses to guess without figures', () => {
    const zones = [
      { zoneId: 'a', pathMs: 40 },
      { zoneId: 'b', pathMs: 10 },
      { zoneId: 'c', pathMs: null },
    ];
    expect(behindBest(zones, 'a')).toEqual({ behindMs: 30, best: 'b' });
    expect(behindBest(zones, 'b')).toEqual({ behindMs: 0, best: 'b' });
    expect(behindBest(zones, 'c')).toBeNull();
    expect(behindBest(zones, 'zz')).toBeNull();
  });
});
