import { describe, expect, it } from 'vitest';
import { sketchFleet } from './fleet-builder';
import { keepaliveOverhead } from './keepalive';

describe('NAT keepalive overhead', () => {
  it('one server: one OPTIONS ping per registration per second, none with UAC ping disabled', () => {
    const report = keepaliveOverhead(sketchFleet([{ id: 'a' }, { id: 'b', config: { disableUacPing: true } }]), {
      defaultRegistrations: 1200,
    });
    expect(report.intervalSec).toBe(1);
    expect(report.servers.map((s) => [s.server.alias, s.pingsPerSecond])).toEqual([
      ['a', 1200],
      ['b', 0],
    ]);
    expect(report.totalPingsPerSecond).toBe(1200);
    expect(report.advice.map((a) => a.code)).toEqual(['ping-off-nat']);
  });

  it('a longer interval divides the rate', () => {
    const report = keepaliveOverhead(sketchFleet([{ id: 'a' }]), { defaultRegistrations: 300, intervalSec: 30 });
    expect(report.servers[0]!.pingsPerSecond).toBe(10);
  });

  it('an array with location sharing pings every registration from every server; a cluster pings each once', () => {
    const regs = new Map([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    const array = keepaliveOverhead(sketchFleet(['a', 'b', 'c'].map((id) => ({ id, config: { uacLocationSharing: true } }))), {
      registrations: regs,
      defaultRegistrations: 0,
    });
    expect(array.groups).toEqual([
      expect.objectContaining({ kind: 'array', registrations: 600, pingsPerSecond: 1800, asClusterPerSecond: 600 }),
    ]);
    expect(array.advice.map((a) => a.code)).toEqual(['array-disable-ping', 'array-cluster']);

    const cluster = keepaliveOverhead(
      sketchFleet(
        ['a', 'b', 'c'].map((id) => ({ id, clusterId: 'k' })),
        ['k'],
      ),
      { registrations: regs, defaultRegistrations: 0 },
    );
    expect(cluster.groups).toEqual([expect.objectContaining({ kind: 'cluster', registrations: 600, pingsPerSecond: 600 })]);
    expect(cluster.advice).toEqual([]);
  });

  it('disabling UAC ping on the sharing servers, as the reference advises, removes the array warning', () => {
    const fleet = sketchFleet(['a', 'b'].map((id) => ({ id, config: { uacLocationSharing: true, disableUacPing: true } })));
    const report = keepaliveOverhead(fleet, { defaultRegistrations: 50 });
    expect(report.totalPingsPerSecond).toBe(0);
    expect(report.advice.map((a) => a.code)).toEqual(['ping-off-nat']);
  });

  it('AnyReg makes UAC ping unnecessary', () => {
    const report = keepaliveOverhead(sketchFleet([{ id: 'a', config: { anyReg: true } }]), { defaultRegistrations: 10 });
    expect(report.advice.map((a) => a.code)).toEqual(['anyreg-ping-not-needed']);
  });

  it('counts read from the servers stand before the typed figure, and the advice follows from them', () => {
    const fleet = sketchFleet(['a', 'b', 'c'].map((id) => ({ id, config: { uacLocationSharing: true } })));
    // Nobody registered on the two servers that could be read: nothing to ping, no advice, whatever is typed for the third.
    const idle = keepaliveOverhead(fleet, {
      registrations: new Map([
        ['a', 0],
        ['b', 0],
      ]),
      defaultRegistrations: 0,
    });
    expect(idle.servers.map((s) => [s.server.id, s.registrations, s.source])).toEqual([
      ['a', 0, 'read'],
      ['b', 0, 'read'],
      ['c', 0, 'typed'],
    ]);
    expect(idle.advice).toEqual([]);
    // One phone registered on a: each of the three sharing servers pings it.
    const busy = keepaliveOverhead(fleet, {
      registrations: new Map([
        ['a', 1],
        ['b', 0],
      ]),
      defaultRegistrations: 0,
    });
    expect(busy.totalPingsPerSecond).toBe(3);
    expect(busy.advice.map((a) => a.code)).toEqual(['array-disable-ping', 'array-cluster']);
  });
});
