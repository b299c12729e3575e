import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerStatus } from './fleet';
import { SamplesPush } from './monitoring-methods';
import { packSamplesPush, unpackSamplesPush } from './samples-wire';

const micro = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000) / 1000);
const rttArb = fc.option(fc.double({ min: 0, max: 5_000, noNaN: true }), { nil: null });
const probeArb = fc.option(
  fc.record({
    rttMs: rttArb,
    code: fc.option(fc.integer({ min: 100, max: 699 }), { nil: null }),
    at: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  }),
  { nil: null },
);
const updateArb = fc.record({
  serverId: fc.uuid(),
  status: fc.constantFrom(...ServerStatus.options),
  reason: fc.string(),
  sip: probeArb,
  icmp: probeArb,
  sipLossPct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
  icmpLossPct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
  addedSip: fc.array(rttArb, { maxLength: 5 }),
  addedIcmp: fc.array(rttArb, { maxLength: 5 }),
});

/** Through the wire as the socket sends it: packed, then as JSON text. */
const travel = (push: SamplesPush) => unpackSamplesPush(JSON.parse(JSON.stringify(packSamplesPush(push))));

describe('samples push on the wire', () => {
  it('comes back as the contract has it, round trips to 1 µs and losses to 0.01 %', () => {
    fc.assert(
      fc.property(fc.array(updateArb, { maxLength: 30 }), (updates) => {
        const back = travel({ updates });
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        expect(SamplesPush.parse(back.push)).toEqual(back.push);
        expect(back.push.updates).toEqual(
          updates.map((u) => ({
            ...u,
            sip: u.sip && { ...u.sip, rttMs: micro(u.sip.rttMs) },
            icmp: u.icmp && { ...u.icmp, rttMs: micro(u.icmp.rttMs) },
            sipLossPct: u.sipLossPct === null ? null : Math.round(u.sipLossPct * 100) / 100,
            icmpLossPct: u.icmpLossPct === null ? null : Math.round(u.icmpLossPct * 100) / 100,
            addedSip: u.addedSip.map(micro),
            addedIcmp: u.addedIcmp.map(micro),
          })),
        );
      }),
    );
  });

  it('is less than half the object form for a live fleet', () => {
    const at = 1_796_274_398_090;
    const updates = Array.from({ length: 1_000 }, (_, i) => ({
      serverId: `6ec8b561-958c-4e1d-9b54-${String(i).padStart(12, '0')}`,
      status: 'online' as const,
      reason: '',
      sip: { rttMs: 0.5844999999999345 + i / 7, code: 200, at: at + i },
      icmp: { rttMs: 0.071, code: null, at: at - 900 + i },
      sipLossPct: 0,
      icmpLossPct: 100 / 3,
      addedSip: [0.5844999999999345 + i / 7],
      addedIcmp: [0.071],
    }));
    const object = JSON.stringify({ event: 'monitoring:samples', payload: { updates } }).length;
    const packed = JSON.stringify({ event: 'monitoring:samples', wire: 'samples/1', payload: packSamplesPush({ updates }) }).length;
    expect(packed / object).toBeLessThan(0.5);
  });

  it('refuses a malformed push and says which update and field', () => {
    const good = packSamplesPush({
      updates: [
        {
          serverId: 'a',
          status: 'down',
          reason: 'SIP UDP: 3 lost in a row',
          sip: { rttMs: null, code: null, at: 10 },
          icmp: null,
          sipLossPct: 100,
          icmpLossPct: null,
          addedSip: [null],
          addedIcmp: [],
        },
      ],
    });
    expect(unpackSamplesPush(good).ok).toBe(true);
    const broken = (change: (row: unknown[]) => void) => {
      const copy = structuredClone(good);
      change(copy.u[0] as unknown[]);
      return unpackSamplesPush(copy);
    };
    expect(unpackSamplesPush(null)).toEqual({ ok: false, reason: 'not an object' });
    expect(unpackSamplesPush({ t: 'x', u: [] })).toEqual({ ok: false, reason: 't is not a number' });
    expect(unpackSamplesPush({ t: 1, u: {} })).toEqual({ ok: false, reason: 'u is not a list' });
    expect(broken((r) => r.pop())).toEqual({ ok: false, reason: 'update 1: not a list of 13 fields' });
    expect(broken((r) => (r[0] = ''))).toEqual({ ok: false, reason: 'update 1: server id missing' });
    expect(broken((r) => (r[1] = 'sideways'))).toEqual({ ok: false, reason: 'update 1: unknown status "sideways"' });
    expect(broken((r) => (r[2] = 7))).toEqual({ ok: false, reason: 'update 1: reason is not text' });
    expect(broken((r) => (r[4] = 200.5))).toEqual({ ok: false, reason: 'update 1: SIP probe malformed' });
    expect(broken((r) => (r[6] = 3))).toEqual({ ok: false, reason: 'update 1: ICMP probe malformed' });
    expect(broken((r) => (r[9] = '100'))).toEqual({ ok: false, reason: 'update 1: loss is not a number' });
    expect(broken((r) => (r[11] = ['x']))).toEqual({ ok: false, reason: 'update 1: added round trips malformed' });
  });
});
