import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { certificateExpiry as rule } from './certificate-expiry';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const DAY = 86_400_000;
const cert = (notAfter: number) => ({ id: 'k', name: 'sip-cert', notAfter, sans: ['sip.example.net'], serverIds: ['a'] });

describe(rule.id, () => {
  it('errors for an expired certificate and warns within 30 days, naming its servers', () => {
    const fleet = sketchFleet([{ id: 'a' }]);
    expect(rule.check({ ...fleet, certificates: [cert(NOW - DAY)] }, NOW, SETTINGS)[0]).toMatchObject({
      severity: 'error',
      servers: [expect.objectContaining({ alias: 'a' })],
    });
    expect(rule.check({ ...fleet, certificates: [cert(NOW + 30 * DAY)] }, NOW, SETTINGS)[0]).toMatchObject({
      severity: 'warning',
      message: 'Certificate sip-cert expires in 30 days.',
    });
  });
  it('is quiet beyond 30 days and when there is no certificate data', () => {
    const fleet = sketchFleet([{ id: 'a' }]);
    expect(rule.check({ ...fleet, certificates: [cert(NOW + 31 * DAY)] }, NOW, SETTINGS)).toEqual([]);
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
  });
});
