import { describe, expect, it } from 'vitest';
import { registrationSharing, type SharingServer } from './sharing';

const server = (id: string, clusterId: string | null, sharing = false, noPing = false): SharingServer => ({
  id,
  alias: `sw-${id}`,
  clusterId,
  config: { uacLocationSharing: sharing, disableUacPing: noPing },
});
const names = (id: string) => `core-${id}`;

describe('registrationSharing', () => {
  it('a lone server needs nothing', () => {
    const a = server('a', null);
    expect(registrationSharing(a, [a], names).mode).toBe('single');
  });

  it('cluster members share with each other, not with outsiders', () => {
    const fleet = [server('a', 'x'), server('b', 'x'), server('c', 'y'), server('d', null)];
    const result = registrationSharing(fleet[0] as SharingServer, fleet, names);
    expect(result.mode).toBe('cluster');
    expect(result.sharedWith).toEqual(['sw-b']);
    expect(result.summary).toContain('cluster core-x');
  });

  it('array sharing reaches other unclustered servers that share, and suggests Disable UAC Ping', () => {
    const fleet = [server('a', null, true), server('b', null, true), server('c', null, false), server('d', 'x', true)];
    const result = registrationSharing(fleet[0] as SharingServer, fleet, names);
    expect(result.mode).toBe('array-shared');
    expect(result.sharedWith).toEqual(['sw-b']);
    expect(result.advice).toContain('Disable UAC Ping');
    const quiet = registrationSharing(server('a', null, true, true), fleet, names);
    expect(quiet.advice).not.toContain('Disable UAC Ping saves');
  });

  it('without sharing, users are reachable through their own server only', () => {
    const fleet = [server('a', null), server('b', null, true)];
    const result = registrationSharing(fleet[0] as SharingServer, fleet, names);
    expect(result.mode).toBe('array-isolated');
    expect(result.sharedWith).toEqual([]);
  });
});
