import type { AppInfo, Settings } from '../../src/contract/app';
import type { Cluster, RtpServer, Server, ServerDraft, Zone } from '../../src/contract/fleet';
import type { InputOf, MethodName } from '../../src/contract/methods';
import { createDispatch, type Handlers } from '../../src/host/dispatch';
import { EventBus } from '../../src/host/event-bus';

// A stand-in for the composition root: the real dispatch (validation, read-only refusal) in front
// of handlers that answer with fixed, schema-valid values. Enough to test a transport honestly
// without a database; a test in web-api proves every answer matches its output schema.

export const NOW = 1_767_225_600_000;

export const sampleZone: Zone = { id: 'zone-eu', name: 'EU', description: 'Frankfurt', serverCount: 1, rtpCount: 1 };
export const sampleCluster: Cluster = { id: 'cluster-a', name: 'A', description: '', memberCount: 1 };
export const sampleSettings: Settings = { defaultSshUser: 'root', expiringSoonDays: 7 };

export const sampleServerDraft: ServerDraft = {
  ip: '192.0.2.10',
  alias: 'sbc-fra-1',
  type: 'dispatcher',
  clusterId: 'cluster-a',
  zoneId: 'zone-eu',
  channels: 500,
  cps: 50,
  expiresAt: null,
  adminState: 'running',
  config: {
    interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: false, originationEgress: false },
    uacAuth: false,
    webrtcTls: false,
    fqdn: null,
    autoUpgrade: false,
    disableUacPing: false,
    uacLocationSharing: false,
    tlsInternals: false,
    restrictDirect: false,
    tcpSipTrace: false,
    anyReg: false,
    processingZone: null,
    ports: { udp: 5060, tcp: 5060, tls: 5061 },
    capacityFailover: { enabled: false, targetId: null },
  },
  ssh: { host: null, port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
};

export const sampleServer: Server = {
  ...sampleServerDraft,
  id: 'srv-1',
  status: 'unknown',
  installRecommended: false,
  updatePending: false,
  createdAt: NOW,
  updatedAt: NOW,
};

export const sampleRtp: RtpServer = { id: 'rtp-1', ip: '192.0.2.20', alias: 'rtp-fra-1', zoneId: 'zone-eu' };

const summary = { zones: 1, clusters: 1, servers: 1, rtpServers: 1 };

/** A valid input for every method; typed by the contract, so a new method cannot be left out. */
export const sampleInputs: { [M in MethodName]: InputOf<M> } = {
  'app:info': {},
  'settings:get': {},
  'settings:update': { expiringSoonDays: 14 },
  'fleet:list-zones': {},
  'fleet:create-zone': { name: 'US', description: '' },
  'fleet:update-zone': { id: 'zone-eu', draft: { name: 'EU', description: 'Frankfurt' } },
  'fleet:delete-zone': { id: 'zone-eu' },
  'fleet:list-clusters': {},
  'fleet:create-cluster': { name: 'B', description: '' },
  'fleet:update-cluster': { id: 'cluster-a', draft: { name: 'A', description: 'first' } },
  'fleet:delete-cluster': { id: 'cluster-a', members: 'unassign' },
  'fleet:list-servers': {},
  'fleet:get-server': { id: 'srv-1' },
  'fleet:create-server': sampleServerDraft,
  'fleet:update-server': { id: 'srv-1', draft: sampleServerDraft },
  'fleet:delete-servers': { ids: ['srv-1'] },
  'fleet:list-rtp': {},
  'fleet:create-rtp': { ip: '192.0.2.21', alias: 'rtp-fra-2', zoneId: 'zone-eu' },
  'fleet:update-rtp': { id: 'rtp-1', draft: { ip: '192.0.2.20', alias: 'rtp-fra-1', zoneId: 'zone-eu' } },
  'fleet:delete-rtp': { id: 'rtp-1' },
  'fleet:import': { format: 'json', text: '[]' },
  'fleet:export': { format: 'json' },
  'fleet:load-demo': {},
};

export interface FakeHost {
  dispatch: ReturnType<typeof createDispatch>;
  events: EventBus;
  info(): AppInfo;
  /** Every call that reached a handler, in order: proof of what got past dispatch. */
  readonly handled: MethodName[];
}

export function createFakeHost(options: { readOnly?: boolean } = {}): FakeHost {
  const readOnly = options.readOnly === true;
  const handled: MethodName[] = [];
  const info = (): AppInfo => ({ name: 'Switchyard', version: '0.0.0-test', mode: 'live', readOnly, dataDir: null, now: NOW });
  const seen = <T>(method: MethodName, value: T): T => {
    handled.push(method);
    return value;
  };
  const handlers: Handlers = {
    'app:info': () => seen('app:info', info()),
    'settings:get': () => seen('settings:get', sampleSettings),
    'settings:update': (patch) => seen('settings:update', { ...sampleSettings, ...patch }),
    'fleet:list-zones': () => seen('fleet:list-zones', [sampleZone]),
    'fleet:create-zone': (draft) => seen('fleet:create-zone', { ...draft, id: 'zone-new', serverCount: 0, rtpCount: 0 }),
    'fleet:update-zone': ({ id, draft }) => seen('fleet:update-zone', { ...sampleZone, ...draft, id }),
    'fleet:delete-zone': () => seen('fleet:delete-zone', { deleted: 1 }),
    'fleet:list-clusters': () => seen('fleet:list-clusters', [sampleCluster]),
    'fleet:create-cluster': (draft) => seen('fleet:create-cluster', { ...draft, id: 'cluster-new', memberCount: 0 }),
    'fleet:update-cluster': ({ id, draft }) => seen('fleet:update-cluster', { ...sampleCluster, ...draft, id }),
    'fleet:delete-cluster': () => seen('fleet:delete-cluster', { deleted: 1, membersMoved: 0, membersUnassigned: 1 }),
    'fleet:list-servers': () => seen('fleet:list-servers', [sampleServer]),
    'fleet:get-server': ({ id }) => seen('fleet:get-server', { ...sampleServer, id }),
    'fleet:create-server': (draft) => seen('fleet:create-server', { ...sampleServer, ...draft, id: 'srv-new' }),
    'fleet:update-server': ({ id, draft }) => seen('fleet:update-server', { ...sampleServer, ...draft, id }),
    'fleet:delete-servers': ({ ids }) => seen('fleet:delete-servers', { deleted: ids.length }),
    'fleet:list-rtp': () => seen('fleet:list-rtp', [sampleRtp]),
    'fleet:create-rtp': (draft) => seen('fleet:create-rtp', { ...draft, id: 'rtp-new' }),
    'fleet:update-rtp': ({ id, draft }) => seen('fleet:update-rtp', { ...draft, id }),
    'fleet:delete-rtp': () => seen('fleet:delete-rtp', { deleted: 1 }),
    'fleet:import': () => seen('fleet:import', summary),
    'fleet:export': ({ format }) => seen('fleet:export', { text: '[]', fileName: `switchyard-fleet.${format}` }),
    'fleet:load-demo': () => seen('fleet:load-demo', summary),
  };
  const dispatch = createDispatch(handlers, { readOnlyReason: () => (readOnly ? 'read-only' : null) });
  return { dispatch, events: new EventBus(), info, handled };
}
