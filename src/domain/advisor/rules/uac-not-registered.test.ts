import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import type { AdvisorUacRead } from '../finding';
import { uacNotRegistered as rule, UAC_READ_FRESH_MS } from './uac-not-registered';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };
const up = (username: string, state: AdvisorUacRead['upstreams'][number]['state'], reason: string | null = null) => ({
  upstreamId: `u-${username}`,
  registrar: 'sip:reg.example.net',
  username,
  state,
  reason,
});

describe(rule.id, () => {
  it('names each upstream not registered on a server with UAC Auth on, with the reason read from Kamailio', () => {
    const fleet = {
      ...sketchFleet([{ id: 'sw1', config: { uacAuth: true } }]),
      uac: [
        {
          serverId: 'sw1',
          readAt: NOW - 1000,
          upstreams: [
            up('alice', 'registered'),
            up('bob', 'failed', 'Kamailio gave up on it.'),
            up('carol', 'not-loaded'),
            up('dave', 'registering'),
            up('erin', 'waiting'),
          ],
        },
      ],
    };
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings.map((f) => [f.severity, f.message, f.field])).toEqual([
      ['error', 'sw1 is not registered to upstream bob at sip:reg.example.net: Kamailio gave up on it.', 'config.uacUpstreams'],
      ['warning', 'sw1 is not registered to upstream carol at sip:reg.example.net.', 'config.uacUpstreams'],
    ]);
    expect(findings[0]?.fix).toMatch(/Install Server/);
  });

  it('is quiet when UAC Auth is off, the server is stopped, or the read is old or missing', () => {
    const read = (serverId: string, readAt: number | null): AdvisorUacRead => ({ serverId, readAt, upstreams: [up('bob', 'failed')] });
    const fleet = {
      ...sketchFleet([
        { id: 'off' },
        { id: 'stopped', adminState: 'stopped', config: { uacAuth: true } },
        { id: 'old', config: { uacAuth: true } },
        { id: 'never', config: { uacAuth: true } },
      ]),
      uac: [read('off', NOW), read('stopped', NOW), read('old', NOW - UAC_READ_FRESH_MS - 1), read('never', null), read('deleted', NOW)],
    };
    expect(rule.check(fleet, NOW, SETTINGS)).toEqual([]);
    expect(rule.check(sketchFleet([{ id: 'x', config: { uacAuth: true } }]), NOW, SETTINGS)).toEqual([]);
  });
});
