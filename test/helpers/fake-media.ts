// Media server selection in the fake host: a valid input for each method, and handlers that
// answer with fixed, schema-valid values.
// It is a stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
import type { MediaMeasurement, mediaMethods } from '../../src/contract/media-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';
import { MEDIA_RULE } from '../../src/domain/media/ranking';

type Area = keyof typeof mediaMethods;
const NOW = 1_767_225_600_000;

export const sampleMeasurement: MediaMeasurement = {
  id: 'm-1',
  measuredAt: NOW,
  customer: '203.0.113.5',
  carrier: '192.0.2.10',
  serverId: 'srv-1',
  serverLabel: 'sbc-fra-1 (192.0.2.10)',
  direct: { rttMs: 40, lossPct: 0, note: 'Measured from sbc-fra-1 (192.0.2.10) to the customer.' },
  zones: [
    {
      zoneId: 'zone-eu',
      zoneName: 'EU',
      rank: 1,
      via: { rtpId: 'rtp-1', alias: 'rtp-fra-1', ip: '192.0.2.20' },
      customerMs: 41,
      carrierMs: 1,
      pathMs: 42,
      addedMs: 2,
      behindBestMs: 0,
      lossPct: 0,
      servers: 1,
      answered: 1,
      note: null,
    },
  ],
  probes: [
    {
      rtpId: 'rtp-1',
      alias: 'rtp-fra-1',
      ip: '192.0.2.20',
      zoneId: 'zone-eu',
      customer: { rttMs: 41, lossPct: 0, error: null },
      carrier: { rttMs: 1, lossPct: 0, error: null },
    },
  ],
  verdict: 'EU adds 2.00 ms round trip to the direct path (40.0 ms), through rtp-fra-1. It is the only zone that could be measured.',
  rule: MEDIA_RULE,
  errors: [],
  durationMs: 1200,
};

export const mediaSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'media:measure': { customer: '203.0.113.5', serverId: 'srv-1' },
  'media:last': {},
  'media:zones': {},
  'media:set-zone': { serverId: 'srv-1', zoneId: 'zone-eu' },
  'media:get-ssh': {},
  'media:set-ssh': { port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
};

export function mediaFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  const ssh = { port: null, user: null, auth: 'agent' as const, keyPath: null, jumpHost: null };
  return {
    'media:measure': () => seen('media:measure', sampleMeasurement),
    'media:last': () => seen('media:last', sampleMeasurement),
    'media:zones': () => seen('media:zones', [{ serverId: 'srv-1', zoneId: null }]),
    'media:set-zone': ({ serverId, zoneId }) => seen('media:set-zone', { serverId, zoneId }),
    'media:get-ssh': () => seen('media:get-ssh', ssh),
    'media:set-ssh': (settings) => seen('media:set-ssh', settings),
  };
}
