// Vantage points in the fake host: a valid input for each method, and handlers that answer with
// fixed, schema-valid values.
// It is a stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { VantageSettings, vantageMethods } from '../../src/contract/vantage-methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof vantageMethods;

export const sampleVantageSettings: VantageSettings = {
  enabled: true,
  sources: 'dispatchers',
  chosen: [],
  intervalSec: 5,
  switches: true,
  rtp: true,
  targets: [{ address: '192.0.2.99', label: 'Carrier A' }],
};

export const vantageSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'vantage:settings': {},
  'vantage:save-settings': sampleVantageSettings,
  'vantage:status': {},
  'vantage:sources': { targetId: 'srv-2' },
};

export function vantageFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'vantage:settings': () => seen('vantage:settings', sampleVantageSettings),
    'vantage:save-settings': (input) => seen('vantage:save-settings', input),
    'vantage:status': () => seen('vantage:status', { enabled: true, sources: [] }),
    'vantage:sources': () =>
      seen('vantage:sources', [
        { source: 'local', label: 'from this workstation' },
        { source: 'srv-1', label: 'from lb-fra-1' },
      ]),
  };
}
