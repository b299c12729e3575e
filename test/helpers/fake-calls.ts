// A stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
// Live calls and the dispatcher's own view in the fake host: a valid input for each method, and
// handlers that answer with fixed, schema-valid values.
import type { dispatcherMethods, DispatcherView } from '../../src/contract/dispatcher-methods';
import type { loadMethods } from '../../src/contract/load-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof loadMethods | keyof typeof dispatcherMethods;
const NOW = 1_767_225_600_000;

export const sampleUsage = { serverId: 'srv-1', at: NOW, channelsInUse: 12, ringing: 1, cps: 4.5, callsError: null, pollError: null };

export const sampleDispatcherView: DispatcherView = {
  serverId: 'srv-1',
  readAt: NOW,
  command: "sh -c … switchyard-dispatcher-list kamcmd ''",
  error: null,
  errorAt: null,
  destinations: [
    {
      setId: 1,
      uri: 'sip:192.0.2.11:5060',
      flags: 'AP',
      state: 'active',
      probing: true,
      priority: 0,
      attrs: 'weight=50',
      weight: 50,
      latency: { avgMs: 0.4, stdMs: 0.1, estMs: 0.4, maxMs: 1.2, timeouts: 0 },
      target: { host: '192.0.2.11', port: 5060, transport: 'udp', effectivePort: 5060 },
      match: { id: 'srv-2', ip: '192.0.2.11', alias: 'sw-fra-1', type: 'switch' },
      matchHint: null,
      ours: { status: 'online', reason: '', sipRttMs: 0.5, sipCode: 200, sipLossPct: 0 },
      disagreement: null,
    },
  ],
};

export const callsSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'load:list-usage': {},
  'dispatcher:get-view': { serverId: 'srv-1' },
  'dispatcher:read-view': { serverId: 'srv-1' },
};

export function callsFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'load:list-usage': () => seen('load:list-usage', { servers: [sampleUsage] }),
    'dispatcher:get-view': () => seen('dispatcher:get-view', sampleDispatcherView),
    'dispatcher:read-view': () => seen('dispatcher:read-view', sampleDispatcherView),
  };
}
