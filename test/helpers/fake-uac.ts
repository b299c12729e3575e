// UAC Auth in the fake host (a stand-in for the composition root, used to test transports without
// a database or servers): a valid input for each method, and handlers answering fixed,
// schema-valid values. The real service is tested against real Kamailio in test/integration/uac-kamailio.test.ts.
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { UacView, uacMethods } from '../../src/contract/uac-methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof uacMethods;
const NOW = 1_767_225_600_000;

export const sampleUacView: UacView = {
  serverId: 'srv-1',
  uacAuth: true,
  upstreams: [{ id: 'up-1', registrar: 'sip:reg.example.net:5060', username: 'acct-1', expiry: 3600, passwordSet: true }],
  storage: 'memory',
  status: {
    serverId: 'srv-1',
    readAt: NOW,
    command: '/usr/sbin/kamcmd uac.reg_dump',
    upstreams: [
      {
        upstreamId: 'up-1',
        registrar: 'sip:reg.example.net:5060',
        username: 'acct-1',
        state: 'registered',
        reason: null,
        flags: 20,
        refreshInSec: 3300,
        stale: false,
      },
    ],
    unmanaged: [],
    error: null,
    errorAt: null,
  },
};

export const uacSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'uac:get': { serverId: 'srv-1' },
  'uac:set-upstreams': {
    serverId: 'srv-1',
    upstreams: [{ id: 'up-1', registrar: 'sip:reg.example.net:5060', username: 'acct-1', expiry: 3600 }],
  },
  'uac:status': { serverId: 'srv-1' },
};

export function uacFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'uac:get': () => seen('uac:get', sampleUacView),
    'uac:set-upstreams': () => seen('uac:set-upstreams', sampleUacView),
    'uac:status': () => seen('uac:status', sampleUacView),
  };
}
