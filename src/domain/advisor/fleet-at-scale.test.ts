import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { failoverPaths, type FailoverWarningCode } from '../platform/failover';
import { keepaliveOverhead } from '../platform/keepalive';
import { ADVISOR_RULES, advise } from './index';
import { VARIED_NOW, variedFleet } from './varied-fleet';

// The failover paths, the keepalive overhead and the advisor's findings on generated fleets of a
// few hundred servers with every shape the rules read, pinned to the output they gave when each
// rule still scanned the whole fleet per server. The rules now look servers up in indexes built
// once per call; the output must not move by a character. A change meant to alter the output
// updates the digests (the failing assertion prints the new ones).

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function outputs(count: number, seed: number) {
  const { fleet, registrations } = variedFleet(count, seed);
  return {
    failover: failoverPaths(fleet, fleet.loads),
    keepalive: keepaliveOverhead(fleet, { registrations, defaultRegistrations: 40, intervalSec: 2 }),
    advice: advise(fleet, VARIED_NOW, { expiringSoonDays: 14 }),
  };
}

const tally = (keys: string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

describe('platform rules on a varied fleet', () => {
  const first = outputs(600, 1);

  it('covers every rule, failover warning and keepalive group and advice', () => {
    const codes: FailoverWarningCode[] = [
      'no-target',
      'target-missing',
      'target-outside-cluster',
      'target-full',
      'target-load-unknown',
      'loop',
    ];
    expect(Object.keys(tally(first.advice.map((f) => f.rule))).sort()).toEqual(ADVISOR_RULES.map((r) => r.id).sort());
    expect(Object.keys(tally(first.failover.flatMap((p) => p.warnings.map((w) => w.code)))).sort()).toEqual([...codes].sort());
    expect(new Set(first.keepalive.groups.map((g) => g.kind))).toEqual(new Set(['cluster', 'array', 'single']));
    expect(first.keepalive.advice.map((a) => a.code)).toEqual([
      'array-disable-ping',
      'array-cluster',
      'anyreg-ping-not-needed',
      'ping-off-nat',
    ]);
  });

  it('gives the same findings and warnings as before', () => {
    expect(tally(first.advice.map((f) => f.rule))).toEqual({
      'webrtc-tls-identity': 48,
      'failover-target': 324,
      'certificate-expiry': 18,
      'server-expiry': 84,
      'capacity-in-use': 308,
      'dispatcher-disagrees': 7,
      'uac-not-registered': 14,
      'unclustered-load-balancing': 7,
      'location-sharing-with-uac-ping': 86,
      'cluster-port-mismatch': 28,
      'pending-update-without-auto-upgrade': 69,
      'tcp-sip-trace': 31,
      'media-zone-detour': 53,
      'resize-pending': 5,
    });
    expect(tally(first.failover.flatMap((p) => p.warnings.map((w) => w.code)))).toEqual({
      'no-target': 217,
      'target-full': 118,
      'target-missing': 39,
      'target-outside-cluster': 163,
      'target-load-unknown': 170,
      loop: 121,
    });
    expect(first.keepalive.groups).toHaveLength(246);
  });

  it.each([
    [
      600,
      1,
      {
        failover: '978f59f4b30fdfd0a20eb526f2cbfffc110e7a44f19a517ef9ecbbd30236465b',
        keepalive: '65ef72671f7bd7802210e43ab7e6f8dedc4dac06bfdd2f23b235b3e1a313f89f',
        advice: '5be1316a3a4ed929c350f7a477f9788b70abcf5381413cb7a4cfa2b6b0525864',
      },
    ],
    [
      600,
      2,
      {
        failover: '61f97c4408b674b53ebb2b5e3c40e7dc37ce040b7bb29e9bef0beaaa1563833b',
        keepalive: 'd25a7ded31de25585c45a37e7e7294257dc373b88d0eeea569c0b6c26af7d5ce',
        advice: '877eb7a61e90e43db6a9edd6539d37b9825e119825025bace041b670db963810',
      },
    ],
    [
      97,
      3,
      {
        failover: '9f0454f152506fe3376bf280332c0304c8217ee5a1f417030803c33f4d0cb9b3',
        keepalive: '3e397721dcee4440e124c61ec008302bb2c8d6660940fad71bae4a3a0e947531',
        advice: '3847480a5b76839333ecc8cf9228d298e7bcd976033c1dd04f081e49ebfd663a',
      },
    ],
  ])('%i servers, seed %i: the same output to the character', (count, seed, expected) => {
    const { failover, keepalive, advice } = count === 600 && seed === 1 ? first : outputs(count, seed);
    expect({ failover: digest(failover), keepalive: digest(keepalive), advice: digest(advice) }).toEqual(expected);
  });
});
