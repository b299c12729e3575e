import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baseStatus, isExpired, isExpiringSoon } from './status';

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);
const DAY = 86_400_000;

describe('baseStatus', () => {
  it('is expired exactly at the expiry instant and after it', () => {
    expect(baseStatus({ expiresAt: NOW, adminState: 'running' }, NOW)).toBe('expired');
    expect(baseStatus({ expiresAt: NOW - 1, adminState: 'running' }, NOW)).toBe('expired');
  });

  it('is not expired one millisecond before', () => {
    expect(baseStatus({ expiresAt: NOW + 1, adminState: 'running' }, NOW)).toBe('unknown');
  });

  it('prefers expired over stopped', () => {
    expect(baseStatus({ expiresAt: NOW - DAY, adminState: 'stopped' }, NOW)).toBe('expired');
  });

  it('is stopped when the operator stopped it and it has not expired', () => {
    expect(baseStatus({ expiresAt: null, adminState: 'stopped' }, NOW)).toBe('stopped');
    expect(baseStatus({ expiresAt: NOW + DAY, adminState: 'stopped' }, NOW)).toBe('stopped');
  });

  it('is unknown for a running server until monitoring says more', () => {
    expect(baseStatus({ expiresAt: null, adminState: 'running' }, NOW)).toBe('unknown');
  });

  it('depends only on expiry and admin state, for any instants', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 4e12 })),
        fc.constantFrom('running' as const, 'stopped' as const),
        fc.integer({ min: 0, max: 4e12 }),
        (expiresAt, adminState, now) => {
          const status = baseStatus({ expiresAt, adminState }, now);
          if (expiresAt !== null && expiresAt <= now) expect(status).toBe('expired');
          else expect(status).toBe(adminState === 'stopped' ? 'stopped' : 'unknown');
        },
      ),
    );
  });
});

describe('isExpired', () => {
  it('never expires without an expiry date', () => {
    expect(isExpired(null, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
  it('expires at the instant', () => {
    expect(isExpired(NOW, NOW)).toBe(true);
    expect(isExpired(NOW + 1, NOW)).toBe(false);
  });
});

describe('isExpiringSoon', () => {
  it('is true within the window, including its last millisecond', () => {
    expect(isExpiringSoon(NOW + 1, NOW, 7)).toBe(true);
    expect(isExpiringSoon(NOW + 7 * DAY, NOW, 7)).toBe(true);
  });

  it('is false past the window', () => {
    expect(isExpiringSoon(NOW + 7 * DAY + 1, NOW, 7)).toBe(false);
  });

  it('is false once expired: the server is expired, not expiring', () => {
    expect(isExpiringSoon(NOW, NOW, 7)).toBe(false);
    expect(isExpiringSoon(NOW - 1, NOW, 7)).toBe(false);
  });

  it('is false without an expiry date and with a zero-day window', () => {
    expect(isExpiringSoon(null, NOW, 7)).toBe(false);
    expect(isExpiringSoon(NOW + 1, NOW, 0)).toBe(false);
  });

  it('never says both expired and expiring soon', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 0, max: 365 }),
        (expiresAt, now, days) => {
          expect(isExpired(expiresAt, now) && isExpiringSoon(expiresAt, now, days)).toBe(false);
        },
      ),
    );
  });
});
