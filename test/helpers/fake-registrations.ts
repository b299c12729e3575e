// Registrations in the fake host: a valid input for each method, and handlers answering fixed,
// schema-valid values (one contact answering its keepalives, one silent).
// It is a stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { registrationsMethods, RegistrationLookup, ServerRegistrations } from '../../src/contract/registrations-methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof registrationsMethods;
const NOW = 1_767_225_600_000;

const health = {
  observed: true,
  lastRoundAt: NOW - 1_000,
  answering: 1,
  silent: 1,
  notYet: 0,
  summary: '1 contact answered the last keepalive round (1 s ago, server clock); 1 contact stopped answering.',
};
const contacts: ServerRegistrations['contacts'] = [
  {
    aor: 'carol',
    address: 'sip:carol@192.0.2.77:5060',
    expires: 96,
    userAgent: 'Yealink SIP-T46U',
    received: null,
    socket: 'udp:192.0.2.10:5060',
    serverId: 0,
    keepalive: { state: 'silent', roundtripMs: 21.4, lastAnswerAt: NOW - 45_000, silentForSec: 45 },
  },
  {
    aor: 'alice',
    address: 'sip:alice@192.0.2.66:5060',
    expires: 3_540,
    userAgent: 'Linphone/5.2.0',
    received: null,
    socket: 'udp:192.0.2.10:5060',
    serverId: 0,
    keepalive: { state: 'answering', roundtripMs: 18.2, lastAnswerAt: NOW - 1_000, silentForSec: null },
  },
];

export const sampleRegistrations = (serverId: string): ServerRegistrations => ({
  serverId,
  readAt: NOW,
  command: "sh -c … switchyard-registrations kamcmd '' location ''",
  aorCount: 2,
  contactCount: 2,
  domains: [{ name: 'location', aors: 2, records: 2 }],
  contacts,
  truncated: false,
  sharing: { mode: 'single', sharedWith: [], summary: 'A single server.', advice: null },
  keepalive: { intervalSec: 1, uacPing: true, pingsPerSecond: 2, summary: '2 registered contacts.', advice: null },
  keepaliveHealth: health,
  serverClock: true,
});

export const sampleLookup = (serverId: string, user: string): RegistrationLookup => ({
  serverId,
  user,
  readAt: NOW,
  command: `sh -c … switchyard-registrations kamcmd '' location ${user}`,
  aor: user === 'alice' ? 'alice' : null,
  contacts: user === 'alice' ? contacts.slice(1) : [],
  keepaliveHealth: { ...health, answering: user === 'alice' ? 1 : 0, silent: 0 },
  serverClock: true,
  via: 'lookup',
});

export const registrationsSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'registrations:for-server': { serverId: 'srv-1' },
  'registrations:lookup': { serverId: 'srv-1', user: 'alice' },
};

export function registrationsFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'registrations:for-server': ({ serverId }) => seen('registrations:for-server', sampleRegistrations(serverId)),
    'registrations:lookup': ({ serverId, user }) => seen('registrations:lookup', sampleLookup(serverId, user)),
  };
}
