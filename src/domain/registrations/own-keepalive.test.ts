import { describe, expect, it } from 'vitest';
import { ownKeepalive } from './own-keepalive';
import type { RegistrationSharing, SharingServer } from './sharing';

const server = (config: Partial<SharingServer['config']> = {}): SharingServer => ({
  id: 'a',
  alias: 'a',
  clusterId: null,
  config: { uacLocationSharing: false, disableUacPing: false, ...config },
});
const single: RegistrationSharing = { mode: 'single', sharedWith: [], summary: '', advice: null };
const shared: RegistrationSharing = { mode: 'array-shared', sharedWith: ['b', 'c'], summary: '', advice: null };

describe('keepalive overhead of one server from its registration count', () => {
  it('one OPTIONS per contact per second with UAC ping on', () => {
    const k = ownKeepalive(server(), 3, single);
    expect(k).toMatchObject({ intervalSec: 1, uacPing: true, pingsPerSecond: 3, advice: null });
    expect(k.summary).toContain('3 registered contacts: 3 OPTIONS pings per second');
    expect(ownKeepalive(server(), 300, single, 30).pingsPerSecond).toBe(10);
  });

  it('none with UAC ping disabled, and says what that costs behind NAT', () => {
    const k = ownKeepalive(server({ disableUacPing: true }), 3, shared);
    expect(k).toMatchObject({ uacPing: false, pingsPerSecond: 0, advice: null });
    expect(k.summary).toContain('NAT');
  });

  it('advises disabling UAC ping when the location array is shared and there is something to ping', () => {
    const k = ownKeepalive(server({ uacLocationSharing: true }), 3, shared);
    expect(k.advice).toContain('disabling UAC ping');
    expect(k.summary).toContain('also pings the registrations of b, c');
    expect(ownKeepalive(server({ uacLocationSharing: true }), 0, shared).advice).toBeNull();
    expect(ownKeepalive(server(), 3, single).advice).toBeNull();
  });
});
