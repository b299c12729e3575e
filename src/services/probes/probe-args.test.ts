import { describe, expect, it } from 'vitest';
import { createChecks } from './checks';
import { pingArgs } from './icmp-ping';
import { normalizeFingerprint } from './sip-stream';

describe('probe arguments', () => {
  it('asks each system ping for one echo with our deadline in its own units', () => {
    expect(pingArgs('linux', '10.0.0.1', 2_000)).toEqual(['-n', '-c', '1', '-W', '2', '10.0.0.1']);
    expect(pingArgs('linux', '10.0.0.1', 1_500)).toEqual(['-n', '-c', '1', '-W', '2', '10.0.0.1']);
    expect(pingArgs('darwin', 'h', 1_500)).toEqual(['-n', '-c', '1', '-W', '1500', 'h']);
    expect(pingArgs('win32', 'h', 2_000)).toEqual(['-n', '1', '-w', '2000', 'h']);
  });

  it('compares certificate fingerprints whatever their case and separators', () => {
    expect(normalizeFingerprint('ab:cd:0f')).toBe('ABCD0F');
    expect(normalizeFingerprint('AB CD 0F')).toBe('ABCD0F');
  });

  it('registers every probe kind in one map, ICMP only when a backend exists', async () => {
    const checks = createChecks({ icmp: null });
    expect(Object.keys(checks).sort()).toEqual(['sip-tcp', 'sip-tls', 'sip-udp', 'tcp']);
    for (const [kind, check] of Object.entries(checks)) expect(check.kind).toBe(kind);
    await Promise.all(Object.values(checks).map((c) => c.close()));
  });
});
