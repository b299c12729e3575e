// A stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
// The APIBAN schedule and allow-list area of the fake host: a valid input for each of its methods,
// and handlers answering with fixed, schema-valid values.
import type { ApibanStatus } from '../../src/contract/apiban-methods';
import type { MethodName, InputOf } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = 'apiban:set-schedule' | 'apiban:list-allowed' | 'apiban:add-allowed' | 'apiban:remove-allowed';
const NOW = 1_767_225_600_000;

export const sampleApibanSchedule = {
  enabled: true,
  intervalSec: 3600,
  nextSyncAt: NOW + 3_600_000,
  running: true,
  httpHost: null,
  listChangedAt: NOW,
  targets: [{ serverId: 'srv-1', method: 'ipset' as const, nextApplyAt: NOW + 302_400_000, due: null }],
};
export const sampleApibanDrops = {
  at: NOW,
  malformed: 1,
  notGlobal: 2,
  fleet: 1,
  allowListed: 0,
  samples: ['"999.1.2.3" on the page from ID 100'],
};
const allowed = { entry: '203.0.113.0/24', note: 'carrier', addedAt: NOW };

export const apibanScheduleSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'apiban:set-schedule': { enabled: true, intervalSec: 1800, targets: [{ serverId: 'srv-1', method: 'nftables' }] },
  'apiban:list-allowed': {},
  'apiban:add-allowed': { entry: '203.0.113.0/24', note: 'carrier' },
  'apiban:remove-allowed': { entry: '203.0.113.0/24' },
};

export function apibanScheduleFakeHandlers(seen: <T>(method: MethodName, value: T) => T, status: ApibanStatus): Pick<Handlers, Area> {
  return {
    'apiban:set-schedule': () => seen('apiban:set-schedule', status),
    'apiban:list-allowed': () => seen('apiban:list-allowed', [allowed]),
    'apiban:add-allowed': () => seen('apiban:add-allowed', { entry: allowed, removed: 0 }),
    'apiban:remove-allowed': () => seen('apiban:remove-allowed', { removed: true }),
  };
}
