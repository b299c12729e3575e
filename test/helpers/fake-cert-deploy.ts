// Certificates on servers and ACME in the fake host: a valid input for every method, and handlers
// answering fixed, schema-valid values.
// It is a stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
import type { AcmeCertificate, AcmeSettings, certDeployMethods, ServerDeploy } from '../../src/contract/cert-deploy-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof certDeployMethods;
const NOW = 1_767_225_600_000;

export const sampleServerDeploy = (serverId: string): ServerDeploy => ({
  serverId,
  install: {
    serverId,
    state: 'installed',
    step: 'Reloading TLS (kamcmd tls.reload)',
    message: '1 certificate installed.',
    notes: [],
    tlsConfig: '[server:default]\n',
    startedAt: NOW,
    finishedAt: NOW,
  },
  checks: [
    {
      serverId,
      domain: 'sip.example.net',
      certificateId: 'cert-1',
      expectedName: 'sip.example.net',
      expectedFingerprint: 'AB:CD',
      servedFingerprint: 'AB:CD',
      servedSubject: 'CN=sip.example.net',
      outcome: 'ok',
      message: 'serves sip.example.net',
      checkedAt: NOW,
    },
  ],
  running: false,
});
const settings: AcmeSettings = {
  directoryUrl: 'https://acme.example.net/directory',
  email: null,
  caPem: null,
  dnsHook: null,
  renewDays: 30,
  accountKeySet: false,
};
const acmeCert: AcmeCertificate = {
  serverId: 'srv-1',
  domain: 'sip.example.net',
  challenge: 'http-01',
  state: 'issued',
  message: 'Issued.',
  certificateId: 'cert-1',
  notAfter: NOW + 90 * 86_400_000,
  renewAt: NOW + 60 * 86_400_000,
  requestedAt: NOW,
  finishedAt: NOW,
};

export const certDeploySampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'certs:install': { serverId: 'srv-1' },
  'certs:check': { serverId: 'srv-1' },
  'certs:deploy-status': { serverId: 'srv-1' },
  'certs:list-checks': {},
  'acme:settings': {},
  'acme:save-settings': { directoryUrl: 'https://acme.example.net/directory' },
  'acme:request': { serverId: 'srv-1', challenge: 'http-01' },
  'acme:list': {},
};

export function certDeployFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'certs:install': ({ serverId }) => seen('certs:install', sampleServerDeploy(serverId)),
    'certs:check': ({ serverId }) => seen('certs:check', sampleServerDeploy(serverId)),
    'certs:deploy-status': ({ serverId }) => seen('certs:deploy-status', sampleServerDeploy(serverId)),
    'certs:list-checks': () => seen('certs:list-checks', [sampleServerDeploy('srv-1')]),
    'acme:settings': () => seen('acme:settings', settings),
    'acme:save-settings': (input) => seen('acme:save-settings', { ...settings, directoryUrl: input.directoryUrl }),
    'acme:request': ({ serverId }) => seen('acme:request', { ...acmeCert, serverId }),
    'acme:list': () => seen('acme:list', [acmeCert]),
  };
}
