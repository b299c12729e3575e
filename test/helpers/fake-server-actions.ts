// The server-actions area of the fake host: install commands, availability, pending resizes and
// out-of-band power, each with a valid input and a fixed, schema-valid answer.
// It is a stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
import type { actionSettingsMethods } from '../../src/contract/action-settings-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { powerMethods } from '../../src/contract/power-methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof actionSettingsMethods | keyof typeof powerMethods;
const NOW = 1_767_225_600_000;

const installView = {
  fleet: '/opt/sip/install.sh',
  servers: [
    { id: 'srv-1', alias: 'sbc-fra-1', ip: '192.0.2.10', override: null, effective: '/opt/sip/install.sh', source: 'fleet' as const },
  ],
  common: '/opt/sip/install.sh',
};
const powerView = {
  serverId: 'srv-1',
  method: { method: 'ipmi' as const, host: '192.0.2.110', port: 623, user: 'admin', cipherSuite: 17 as const },
  passwordSet: true,
  storage: 'memory' as const,
};

export const serverActionsSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'actions:install-command': { serverIds: ['srv-1'] },
  'actions:set-install-command': { serverId: null, command: '/opt/sip/install.sh' },
  'actions:availability': { serverIds: ['srv-1'] },
  'actions:pending-resizes': {},
  'power:get-method': { serverId: 'srv-1' },
  'power:set-method': { serverId: 'srv-1', method: { method: 'ipmi', host: '192.0.2.110', user: 'admin' } },
  'power:set-password': { serverId: 'srv-1', password: 'bmc secret' },
  'power:clear-password': { serverId: 'srv-1' },
  'power:status': { serverId: 'srv-1' },
};

export function serverActionsFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'actions:install-command': () => seen('actions:install-command', installView),
    'actions:set-install-command': () => seen('actions:set-install-command', installView),
    'actions:availability': () =>
      seen('actions:availability', {
        actions: [
          { action: 'install' as const, label: 'Install Server', available: true, reason: null, fix: null },
          {
            action: 'power-cycle' as const,
            label: 'Power Cycle',
            available: false,
            reason: 'sbc-fra-1 (192.0.2.10) has no out-of-band method.',
            fix: { setting: 'server-out-of-band' as const, serverId: 'srv-1' },
          },
        ],
      }),
    'actions:pending-resizes': () =>
      seen('actions:pending-resizes', {
        resizes: [
          {
            serverId: 'srv-1',
            alias: 'sbc-fra-1',
            ip: '192.0.2.10',
            previousChannels: 500,
            channels: 1500,
            requestedAt: NOW,
            activeAt: NOW + 900_000,
          },
        ],
      }),
    'power:get-method': () => seen('power:get-method', powerView),
    'power:set-method': () => seen('power:set-method', powerView),
    'power:set-password': () => seen('power:set-password', powerView),
    'power:clear-password': () => seen('power:clear-password', { ...powerView, passwordSet: false }),
    'power:status': () =>
      seen('power:status', {
        state: 'on' as const,
        command: 'ipmitool -I lanplus -H 192.0.2.110 -p 623 -U admin -E -C 17 chassis power status',
        output: 'Chassis Power is on\n',
        error: null,
        field: null,
        at: NOW,
      }),
  };
}
