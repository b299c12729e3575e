// A stand-in because these tests exercise the transports and the contract (validation,
// read-only refusal, envelopes), which need every method answered but no database or server;
// the real service behind each method is tested against real programs in test/integration.
// The alert area of the fake host: a valid input for every alerts method, and handlers that answer
// with fixed, schema-valid values.
import type { Alert, AlertCounts } from '../../src/contract/alerts';
import type { Channel, Route } from '../../src/contract/alerts-delivery';
import type { alertsMethods } from '../../src/contract/alerts-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof alertsMethods;
const NOW = 1_767_225_600_000;

export const sampleAlert: Alert = {
  id: 1,
  kind: 'consecutive-failures',
  subject: { type: 'server', id: 'srv-1', label: 'sbc-fra-1 (192.0.2.10)' },
  serverId: 'srv-1',
  ip: '192.0.2.10',
  zoneId: 'zone-eu',
  clusterId: 'cluster-a',
  severity: 'critical',
  state: 'firing',
  flapping: false,
  summary: 'SIP: 3 probes lost in a row',
  value: 3,
  threshold: 3,
  ruleSource: 'built-in default',
  startedAt: NOW,
  updatedAt: NOW,
  acknowledgedAt: null,
  acknowledgedBy: null,
  ackNote: null,
  resolvedAt: null,
  resolveNote: null,
  notifiedAt: NOW,
  notifications: 1,
  held: null,
};
const counts: AlertCounts = { firing: 1, acknowledged: 0, held: 0, critical: 1 };
const channel: Channel = {
  id: 1,
  name: 'Desktop',
  enabled: true,
  config: { kind: 'desktop' },
  secretsSet: { url: false, routingKey: false, password: false },
  target: null,
  createdAt: 0,
  lastDelivery: null,
  failing: false,
};
const route: Route = {
  id: 1,
  channelId: 1,
  enabled: true,
  severities: ['critical'],
  kinds: [],
  scope: { level: 'fleet', id: null },
  scopeLabel: 'Fleet',
  notifyResolved: true,
};
const silence = {
  id: 1,
  scope: { level: 'server' as const, id: 'srv-1' },
  scopeLabel: 'server sbc-fra-1',
  startsAt: NOW,
  endsAt: NOW + 3_600_000,
  endedAt: null,
  endedBy: null,
  reason: 'carrier work',
  createdBy: 'noc',
  active: true,
};
const rule = {
  id: 1,
  kind: 'latency' as const,
  scope: { level: 'fleet' as const, id: null },
  scopeLabel: 'Fleet',
  params: { threshold: 100 },
  updatedAt: NOW,
  updatedBy: 'noc',
};
const effective = {
  kind: 'latency' as const,
  params: {
    enabled: true,
    severity: 'warning' as const,
    raiseAfter: 3,
    window: 5,
    clearAfter: 3,
    threshold: 100,
    probe: 'sip' as const,
    sipClass: '5xx' as const,
    renotifyMin: 0,
  },
  sources: { threshold: { level: 'fleet' as const, label: 'fleet' } },
};

export const alertsSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'alerts:list': {},
  'alerts:get': { id: 1 },
  'alerts:counts': {},
  'alerts:acknowledge': { ids: [1], note: 'looking' },
  'alerts:export': { format: 'csv' },
  'alerts:list-rules': {},
  'alerts:effective-rules': { serverId: 'srv-1' },
  'alerts:set-rule': { kind: 'latency', scope: { level: 'fleet' }, params: { threshold: 100 } },
  'alerts:delete-rule': { id: 1 },
  'alerts:list-channels': {},
  'alerts:save-channel': {
    name: 'NOC Slack',
    config: { kind: 'webhook', preset: 'slack' },
    secrets: { url: 'https://hooks.slack.com/services/T/B/x' },
  },
  'alerts:delete-channel': { id: 2 },
  'alerts:test-channel': { id: 1 },
  'alerts:list-routes': {},
  'alerts:save-route': { channelId: 1, severities: ['critical'] },
  'alerts:delete-route': { id: 1 },
  'alerts:list-deliveries': {},
  'alerts:list-silences': {},
  'alerts:create-silence': { scope: { level: 'server', id: 'srv-1' }, for: '1h', reason: 'carrier work' },
  'alerts:end-silence': { id: 1 },
  'alerts:list-maintenance': {},
  'alerts:holds': {},
};

export function alertsFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'alerts:list': () => seen('alerts:list', { alerts: [sampleAlert], total: 1 }),
    'alerts:get': () => seen('alerts:get', { ...sampleAlert, deliveries: [] }),
    'alerts:counts': () => seen('alerts:counts', counts),
    'alerts:acknowledge': () =>
      seen('alerts:acknowledge', [{ ...sampleAlert, state: 'acknowledged' as const, acknowledgedAt: NOW, acknowledgedBy: 'noc' }]),
    'alerts:export': () => seen('alerts:export', { text: 'id\r\n1\r\n', fileName: 'alerts.csv' }),
    'alerts:list-rules': () => seen('alerts:list-rules', { rules: [rule], defaults: [effective] }),
    'alerts:effective-rules': () => seen('alerts:effective-rules', [effective]),
    'alerts:set-rule': () => seen('alerts:set-rule', rule),
    'alerts:delete-rule': () => seen('alerts:delete-rule', { deleted: true }),
    'alerts:list-channels': () => seen('alerts:list-channels', [channel]),
    'alerts:save-channel': () => seen('alerts:save-channel', channel),
    'alerts:delete-channel': () => seen('alerts:delete-channel', { deleted: true }),
    'alerts:test-channel': () => seen('alerts:test-channel', { ok: true, status: 200, error: null, ms: 3 }),
    'alerts:list-routes': () => seen('alerts:list-routes', [route]),
    'alerts:save-route': () => seen('alerts:save-route', route),
    'alerts:delete-route': () => seen('alerts:delete-route', { deleted: true }),
    'alerts:list-deliveries': () => seen('alerts:list-deliveries', []),
    'alerts:list-silences': () => seen('alerts:list-silences', [silence]),
    'alerts:create-silence': () => seen('alerts:create-silence', silence),
    'alerts:end-silence': () => seen('alerts:end-silence', { ...silence, endedAt: NOW, endedBy: 'noc', active: false }),
    'alerts:list-maintenance': () => seen('alerts:list-maintenance', []),
    'alerts:holds': () => seen('alerts:holds', {}),
  };
}
