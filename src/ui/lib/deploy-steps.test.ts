import { describe, expect, it } from 'vitest';
import { defaultServerDraft } from '../../domain/fleet/defaults';
import { deployBlockedReason, deployControlId, deployStepIssues } from './deploy-steps';

const ctx = { servers: [{ id: 's1', ip: '10.0.0.1', alias: 'sw-1', clusterId: null }], zones: [{ id: 'z1', name: 'EU' }], clusters: [] };
const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

describe('deployStepIssues', () => {
  it('stops step 2 with an empty IP and alias, each named beside its field', () => {
    const issues = deployStepIssues('host', defaultServerDraft('z1'), '', ctx);
    expect(issues).toEqual([
      { field: 'ip', message: 'IP address is required.' },
      { field: 'alias', message: 'Alias is required.' },
    ]);
  });

  it('checks only the fields a step shows: placement passes with the host still empty', () => {
    expect(deployStepIssues('placement', defaultServerDraft('z1'), '', ctx)).toEqual([]);
    const bad = { ...defaultServerDraft('z9'), channels: 0 };
    expect(deployStepIssues('placement', bad, '', ctx).map((i) => i.field)).toEqual(['zoneId', 'channels']);
  });

  it('refuses a clash with the fleet, a bad SSH port and a missing password on step 2', () => {
    const draft = {
      ...defaultServerDraft('z1'),
      ip: '10.0.0.1',
      alias: 'SW-1',
      ssh: { ...defaultServerDraft('z1').ssh, port: 70000, auth: 'password' as const },
    };
    const issues = deployStepIssues('host', draft, '', ctx);
    expect(issues.map((i) => i.field)).toEqual(['ip', 'alias', 'ssh.port', 'password']);
    expect(issues[2]?.message).toBe('SSH port must be 1–65535.');
    const fine = { ...defaultServerDraft('z1'), ip: '10.0.0.2', alias: 'sw-2' };
    expect(deployStepIssues('host', fine, '', ctx)).toEqual([]);
  });

  it("names each field's control in the wizard", () => {
    expect(deployControlId('ssh.keyPath')).toBe('deploy-ssh-keyPath');
    expect(deployControlId('ip')).toBe('deploy-ip');
  });
});

describe('deployBlockedReason', () => {
  it('blocks while short, saying by how much, and while the check is not in', () => {
    expect(deployBlockedReason({ ok: false, shortfallCents: 30000, requiredCents: 40000 }, money)).toMatch(
      /^Short by \$300\.00: the account needs \$400\.00/,
    );
    expect(deployBlockedReason(null, money)).toBe('Checking the balance…');
    expect(deployBlockedReason({ ok: true, shortfallCents: 0, requiredCents: 2000 }, money)).toBeNull();
  });
});
