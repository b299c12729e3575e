// A stand-in for the composition root: the real dispatch (validation, read-only refusal) in front
// of handlers that answer with fixed, schema-valid values. Enough to test a transport honestly
// without a database; a test in web-api proves every answer matches its output schema.
// Stand-in, not the real host, because a transport test needs no fleet; the real composition
// root (src/host/app.ts) runs in every test/integration *-host and e2e test against real programs.
import type { AppInfo, Settings } from '../../src/contract/app';
import type { Cluster, RtpServer, Server, ServerDraft, Zone } from '../../src/contract/fleet';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { SnapshotMeta } from '../../src/contract/snapshots-methods';
import { createDispatch, type Handlers } from '../../src/host/dispatch';
import { EventBus } from '../../src/host/event-bus';
import type { ToolRunBrief } from '../../src/contract/tools-methods';
import { alertsFakeHandlers, alertsSampleInputs } from './fake-alerts';
import { callsFakeHandlers, callsSampleInputs } from './fake-calls';
import { mediaFakeHandlers, mediaSampleInputs } from './fake-media';
import { uacFakeHandlers, uacSampleInputs } from './fake-uac';
import { serverActionsFakeHandlers, serverActionsSampleInputs } from './fake-server-actions';
import { vantageFakeHandlers, vantageSampleInputs } from './fake-vantage';
import { certDeployFakeHandlers, certDeploySampleInputs } from './fake-cert-deploy';
import { apibanScheduleFakeHandlers, apibanScheduleSampleInputs, sampleApibanDrops, sampleApibanSchedule } from './fake-apiban';
import { registrationsFakeHandlers, registrationsSampleInputs } from './fake-registrations';
import { auditFakeHandlers, auditSampleInputs } from './fake-audit';
import { accountsFakeHandlers, accountsSampleInputs } from './fake-accounts';

export const NOW = 1_767_225_600_000;

export const sampleZone: Zone = { id: 'zone-eu', name: 'EU', description: 'Frankfurt', serverCount: 1, rtpCount: 1 };
export const sampleCluster: Cluster = { id: 'cluster-a', name: 'A', description: '', memberCount: 1 };
export const sampleSettings: Settings = {
  defaultSshUser: 'root',
  expiringSoonDays: 7,
  probeIntervalSec: 5,
  sipDeadlineMs: 2_000,
  statusMaxLossPct: 5,
  statusMaxLatencyMs: 250,
  statusDownAfterLosses: 3,
  availableBalanceCents: 10_000,
  maxConcurrentToolRuns: 8,
};

const sampleLimits = {
  allowance: { cps: 10, channels: 30 },
  groups: [],
  totalCps: 0,
  totalChannels: 0,
  cpsMultiplier: 0,
  channelsMultiplier: 0,
  exceedsAllowance: false,
};
const sampleBalance = { ok: true, availableCents: 10_000, requiredCents: 4_000, shortfallCents: 0, existingServers: 1, message: 'covered' };

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
    tlsPin: null,
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

export const sampleToolRun: ToolRunBrief = {
  id: 'run-1',
  tool: 'ping',
  source: 'local',
  sourceLabel: 'this workstation',
  target: '127.0.0.1',
  params: { count: 2 },
  startedAt: NOW,
  endedAt: null,
  status: 'running',
  error: null,
  headline: { sent: null, received: null, lossPct: null, avgMs: null, hops: null },
};

export const sampleSnapshot: SnapshotMeta = {
  file: 'a.snapshot',
  takenAt: NOW - 1000,
  version: '0.0.0-test',
  savedBy: 'noc',
  schemaVersion: 1,
  note: '',
  counts: { servers: 1, clusters: 1, zones: 1, rtpServers: 1, samples: 0, toolRuns: 0, actionRuns: 0 },
  bytes: 4096,
};

export const sampleCertificate = {
  id: 'cert-1',
  name: 'sip.example.net',
  subject: 'CN=sip.example.net',
  issuer: 'CN=Test CA',
  serialNumber: '01',
  sans: { dns: ['sip.example.net'], ip: [] },
  notBefore: NOW - 86_400_000,
  notAfter: NOW + 90 * 86_400_000,
  expiry: 'valid' as const,
  fingerprint256: 'AA:BB',
  chainLength: 1,
  hasKey: false,
  keyAvailable: false,
  assignedTo: 0,
  importedAt: NOW,
};

export const sampleApibanStatus = {
  keySet: true,
  baseUrl: 'http://127.0.0.1:1',
  nextId: '100',
  addresses: 0,
  lastSyncAt: null,
  lastOutcome: null,
  lastMessage: null,
  syncing: false,
  applied: [],
  schedule: sampleApibanSchedule,
  dropped: sampleApibanDrops,
  allowCount: 1,
};

export const sampleActionPlan = {
  action: 'restart' as const,
  label: 'Restart Server',
  impact: 'Reboots the server.',
  servers: [],
  confirm: 'simple' as const,
  confirmText: null,
  confirmHint: null,
  warnings: [],
  timeoutSec: 60,
  differs: null,
  runsOn: 'ssh' as const,
};
export const sampleActionRun = {
  id: 'run-1',
  action: 'restart' as const,
  label: 'Restart Server',
  params: {},
  options: { canary: true, stopOnFailure: true, concurrency: 10 },
  user: 'noc',
  origin: 'web' as const,
  startedAt: NOW,
  endedAt: null,
  status: 'running' as const,
  stoppedBy: null,
  account: 'noc',
  address: null,
  progress: { total: 0, done: 0, failed: 0, skipped: 0, cancelled: 0, running: 0, remaining: 0 },
  servers: [],
};
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
  'fleet:list-rows': {},
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
  'tools:start-ping': { source: 'local', target: '127.0.0.1', params: { count: 2 } },
  'tools:start-mtr': { source: 'local', target: '127.0.0.1', params: { count: 1 } },
  'tools:cancel': { id: 'run-1' },
  'tools:list-runs': {},
  'tools:get-run': { id: 'run-1' },
  'tools:delete-run': { id: 'run-1' },
  'tools:export-run': { id: 'run-1', format: 'csv' },
  'tools:parse-pasted': { text: 'PING 127.0.0.1' },
  'tools:save-pasted': { text: 'PING 127.0.0.1' },
  'ssh:answer-host-key': { promptId: 'prompt-1', accept: false },
  'ssh:list-host-key-prompts': {},
  'actions:plan': { action: 'restart', serverIds: ['srv-1'] },
  'actions:run': { action: 'restart', serverIds: ['srv-1', 'srv-2'], confirmation: '2' },
  'actions:cancel': { runId: 'run-1' },
  'actions:list-runs': {},
  'actions:get-run': { id: 'run-1' },
  'actions:export-runs': { format: 'csv' },
  'actions:server-load': { serverId: 'srv-1' },
  'ssh:set-secret': { serverId: 'srv-1', kind: 'password', value: 'secret' },
  'ssh:clear-secret': { serverId: 'srv-1', kind: 'password' },
  'ssh:secret-status': { serverId: 'srv-1' },
  'snapshots:save': { note: 'before the upgrade' },
  'snapshots:list': {},
  'snapshots:info': { file: 'a.snapshot' },
  'snapshots:open': { file: 'a.snapshot' },
  'snapshots:open-file': {},
  'snapshots:close': {},
  'snapshots:diff': { a: 'a.snapshot', b: 'live' },
  'snapshots:admit-upload': { bytes: 4096 },
  'monitoring:series': { serverId: 'srv-1', range: '1h' },
  'monitoring:latest': {},
  'monitoring:latest-summaries': {},
  'monitoring:backend': {},
  'monitoring:events': { limit: 10 },
  'platform:limits': { cps: 10, channels: 30 },
  'platform:calculate': { allowance: { cps: 10, channels: 30 }, changes: [] },
  'platform:failover': {},
  'platform:keepalive': { fallbackRegistrations: 100 },
  'platform:advise': {},
  'platform:deploy-check': {},
  'platform:deploy': { draft: sampleServerDraft },
  'platform:deploy-status': { deployId: 'deploy-1' },
  'certs:import': { pem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' },
  'certs:list': {},
  'certs:get': { id: 'cert-1' },
  'certs:delete': { id: 'cert-1' },
  'certs:assign': { serverId: 'srv-1', certificateId: 'cert-1', type: 'server', domains: ['sip.example.net'] },
  'certs:unassign': { serverId: 'srv-1', certificateId: 'cert-1', type: 'server' },
  'certs:for-server': { serverId: 'srv-1' },
  'apiban:set-key': { key: 'abcdef0123456789' },
  'apiban:status': {},
  'apiban:sync': {},
  'apiban:check': { ip: '192.0.2.1' },
  'apiban:list': {},
  'apiban:apply': { serverIds: ['srv-1'] },
  ...apibanScheduleSampleInputs,
  ...registrationsSampleInputs,
  ...alertsSampleInputs,
  ...callsSampleInputs,
  ...mediaSampleInputs,
  ...uacSampleInputs,
  ...serverActionsSampleInputs,
  ...certDeploySampleInputs,
  ...vantageSampleInputs,
  ...auditSampleInputs,
  ...accountsSampleInputs,
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
  const info = (): AppInfo => ({
    name: 'Switchyard',
    version: '0.0.0-test',
    mode: 'live',
    readOnly,
    demo: false,
    dataDir: null,
    now: NOW,
    secretStorage: 'memory',
    snapshot: null,
  });
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
    'fleet:list-rows': () => {
      const { config, ssh: _ssh, createdAt: _created, updatedAt: _updated, ...row } = sampleServer;
      return seen('fleet:list-rows', [{ ...row, fqdn: config.fqdn }]);
    },
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
    'tools:start-ping': ({ target }) => seen('tools:start-ping', { ...sampleToolRun, target }),
    'tools:start-mtr': ({ target }) => seen('tools:start-mtr', { ...sampleToolRun, tool: 'mtr', target }),
    'tools:cancel': () => seen('tools:cancel', { cancelled: true }),
    'tools:list-runs': () => seen('tools:list-runs', [sampleToolRun]),
    'tools:get-run': () => seen('tools:get-run', { ...sampleToolRun, rawOutput: '', ping: null, mtr: null, sip: null }),
    'tools:delete-run': () => seen('tools:delete-run', { deleted: 1 }),
    'tools:export-run': () => seen('tools:export-run', { text: '', fileName: 'ping.csv', mime: 'text/csv' }),
    'tools:parse-pasted': ({ text }) =>
      seen('tools:parse-pasted', { kind: 'unknown', encoding: 'utf-8', text: text ?? '', reason: 'test' }),
    'tools:save-pasted': () => seen('tools:save-pasted', { ...sampleToolRun, source: 'pasted', sourceLabel: 'pasted' }),
    'ssh:answer-host-key': () => seen('ssh:answer-host-key', { answered: false }),
    'ssh:list-host-key-prompts': () => seen('ssh:list-host-key-prompts', []),
    'actions:plan': ({ action }) => seen('actions:plan', { ...sampleActionPlan, action }),
    'actions:run': () => seen('actions:run', sampleActionRun),
    'actions:cancel': () => seen('actions:cancel', { cancelled: true }),
    'actions:list-runs': () => seen('actions:list-runs', { runs: [sampleActionRun], total: 1 }),
    'actions:get-run': () => seen('actions:get-run', { ...sampleActionRun, results: [] }),
    'actions:export-runs': ({ format }) => seen('actions:export-runs', { text: '', fileName: `switchyard-actions.${format}` }),
    'actions:server-load': () => seen('actions:server-load', { samples: [], error: null }),
    'ssh:set-secret': () => seen('ssh:set-secret', { password: true, passphrase: false, storage: 'memory' as const }),
    'ssh:clear-secret': () => seen('ssh:clear-secret', { password: false, passphrase: false, storage: 'memory' as const }),
    'ssh:secret-status': () => seen('ssh:secret-status', { password: false, passphrase: false, storage: 'memory' as const }),
    'snapshots:save': () => seen('snapshots:save', sampleSnapshot),
    'snapshots:list': () =>
      seen('snapshots:list', [{ file: sampleSnapshot.file, bytes: 4096, modifiedAt: NOW, meta: sampleSnapshot, problem: null }]),
    'snapshots:info': () => seen('snapshots:info', sampleSnapshot),
    'snapshots:open': () => seen('snapshots:open', sampleSnapshot),
    'snapshots:open-file': () => seen('snapshots:open-file', null),
    'snapshots:close': () => seen('snapshots:close', { mode: 'live' as const }),
    'snapshots:admit-upload': () => seen('snapshots:admit-upload', { maxBytes: 2 * 1024 ** 3 }),
    'snapshots:diff': () =>
      seen('snapshots:diff', {
        a: { label: 'a.snapshot', takenAt: NOW - 1000 },
        b: { label: 'Live fleet', takenAt: NOW },
        servers: { added: [], removed: [], changed: [] },
        clusters: { added: [], removed: [], changed: [] },
        zones: { added: [], removed: [], changed: [] },
        rtp: { added: [], removed: [], changed: [] },
        certificates: { added: [], removed: [], changed: [] },
        runs: [],
        notes: [],
      }),
    'monitoring:series': () =>
      seen('monitoring:series', { source: 'raw' as const, stepMs: 1_000, from: NOW - 3_600_000, to: NOW, points: {} }),
    'monitoring:latest': () => seen('monitoring:latest', []),
    'monitoring:latest-summaries': () => seen('monitoring:latest-summaries', []),
    'monitoring:backend': () => seen('monitoring:backend', { backend: 'fping' as const, version: '5.1' }),
    'monitoring:events': () => seen('monitoring:events', []),
    'platform:limits': () => seen('platform:limits', sampleLimits),
    'platform:calculate': () => seen('platform:calculate', { before: sampleLimits, after: sampleLimits }),
    'platform:failover': () => seen('platform:failover', []),
    'platform:keepalive': () => seen('platform:keepalive', { intervalSec: 1, servers: [], groups: [], totalPingsPerSecond: 0, advice: [] }),
    'platform:advise': () => seen('platform:advise', []),
    'platform:deploy-check': () => seen('platform:deploy-check', sampleBalance),
    'platform:deploy': () => seen('platform:deploy', { deployId: 'deploy-1', balance: sampleBalance }),
    'platform:deploy-status': () =>
      seen('platform:deploy-status', {
        deployId: 'deploy-1',
        ip: '192.0.2.10',
        alias: 'sbc-fra-1',
        state: 'done' as const,
        output: 'ok\n',
        exitCode: 0,
        serverId: 'srv-1',
        error: null,
        startedAt: NOW - 1000,
        endedAt: NOW,
      }),
    'certs:import': () => seen('certs:import', sampleCertificate),
    'certs:list': () => seen('certs:list', [sampleCertificate]),
    'certs:get': () => seen('certs:get', { ...sampleCertificate, chainPem: '', assignments: [] }),
    'certs:delete': () => seen('certs:delete', { deleted: 1, unassigned: 0 }),
    'certs:assign': ({ serverId }) => seen('certs:assign', { serverId, assignments: [], findings: [] }),
    'certs:unassign': ({ serverId }) => seen('certs:unassign', { serverId, assignments: [], findings: [] }),
    'certs:for-server': ({ serverId }) => seen('certs:for-server', { serverId, assignments: [], findings: [] }),
    'apiban:set-key': () => seen('apiban:set-key', sampleApibanStatus),
    'apiban:status': () => seen('apiban:status', sampleApibanStatus),
    'apiban:sync': () =>
      seen('apiban:sync', {
        outcome: 'complete' as const,
        pages: 1,
        added: 1,
        refreshed: 0,
        expired: 0,
        nextId: '101',
        message: 'ok',
        dropped: sampleApibanDrops,
      }),
    'apiban:check': ({ ip }) => seen('apiban:check', { ip, banned: false, id: null, inLocalList: false, lastSeen: null }),
    'apiban:list': () => seen('apiban:list', { total: 0, rows: [] }),
    'apiban:apply': () => seen('apiban:apply', { results: [] }),
    ...apibanScheduleFakeHandlers(seen, sampleApibanStatus),
    ...registrationsFakeHandlers(seen),
    ...alertsFakeHandlers(seen),
    ...callsFakeHandlers(seen),
    ...mediaFakeHandlers(seen),
    ...uacFakeHandlers(seen),
    ...serverActionsFakeHandlers(seen),
    ...certDeployFakeHandlers(seen),
    ...vantageFakeHandlers(seen),
    ...auditFakeHandlers(seen),
    ...accountsFakeHandlers(seen),
  };
  const dispatch = createDispatch(handlers, { readOnlyReason: () => (readOnly ? 'read-only' : null) });
  return { dispatch, events: new EventBus(), info, handled };
}
