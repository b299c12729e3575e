import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { createMemorySecretStore, openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// Rules, channels, routes and silences through the contract, as the console and the CLI call
// them: every impossible value refused with the field named, nothing half-saved, secrets kept out
// of everything the console can read back.

const tempDir = useTempDirs();
let app: HostApp;
let zoneId: string;
let clusterId: string;
let servers: Server[];
const secrets = createMemorySecretStore();

beforeEach(async () => {
  app = openHost({ dataDir: tempDir(), log: () => undefined, secrets });
  zoneId = (await call(app, 'fleet:create-zone', { name: 'US-East', description: '' })).id;
  clusterId = (await call(app, 'fleet:create-cluster', { name: 'core-us', description: '' })).id;
  servers = [
    await call(app, 'fleet:create-server', draft(zoneId, { ip: '127.0.40.1', alias: 'sw1', clusterId })),
    await call(app, 'fleet:create-server', draft(zoneId, { ip: '127.0.40.2', alias: 'sw2' })),
  ];
});
afterEach(() => app.close());

async function refusal(method: Parameters<HostApp['dispatch']>[0], input: unknown) {
  const result = await app.dispatch(method, input);
  if (result.ok) throw new Error(`${String(method)} was accepted`);
  return result.error;
}

describe('alert rules', () => {
  it('saves an override per scope and shows each value with where it comes from', async () => {
    await call(app, 'alerts:set-rule', { kind: 'latency', scope: { level: 'fleet' }, params: { enabled: true, threshold: 150 } });
    const rule = await call(app, 'alerts:set-rule', {
      kind: 'latency',
      scope: { level: 'cluster', id: clusterId },
      params: { threshold: 40 },
    });
    expect(rule).toMatchObject({ kind: 'latency', scopeLabel: 'cluster core-us', params: { threshold: 40 } });
    const effective = await call(app, 'alerts:effective-rules', { serverId: servers[0]!.id });
    const latency = effective.find((r) => r.kind === 'latency');
    expect(latency?.params).toMatchObject({ enabled: true, threshold: 40, window: 5 });
    expect(latency?.sources).toMatchObject({
      enabled: { level: 'fleet' },
      threshold: { level: 'cluster', label: 'cluster core-us' },
      window: { level: 'default' },
    });
    const other = (await call(app, 'alerts:effective-rules', { serverId: servers[1]!.id })).find((r) => r.kind === 'latency');
    expect(other?.params.threshold).toBe(150);
    // An empty override removes the row: the cluster inherits again.
    expect(await call(app, 'alerts:set-rule', { kind: 'latency', scope: { level: 'cluster', id: clusterId }, params: {} })).toBeNull();
    expect((await call(app, 'alerts:list-rules', {})).rules.map((r) => r.scopeLabel)).toEqual(['Fleet']);
  });

  it('refuses impossible values, naming the field, and saves nothing', async () => {
    expect(
      await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'fleet' }, params: { raiseAfter: 6, window: 5 } }),
    ).toMatchObject({ field: 'params.raiseAfter', message: expect.stringContaining('cannot be more than the window') });
    expect(await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'fleet' }, params: { threshold: -1 } })).toMatchObject({
      field: 'params.threshold',
      message: 'Threshold must not be negative.',
    });
    expect(await refusal('alerts:set-rule', { kind: 'sip-loss', scope: { level: 'fleet' }, params: { threshold: 150 } })).toMatchObject({
      field: 'params.threshold',
    });
    expect(await refusal('alerts:set-rule', { kind: 'cert-expiry', scope: { level: 'fleet' }, params: { probe: 'icmp' } })).toMatchObject({
      field: 'params.probe',
    });
    expect(
      await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'server', id: 'no-such-server' }, params: { threshold: 5 } }),
    ).toMatchObject({ code: 'not-found', field: 'scope.id' });
    expect(
      await refusal('alerts:set-rule', { kind: 'apiban-sync', scope: { level: 'zone', id: zoneId }, params: { enabled: false } }),
    ).toMatchObject({ field: 'scope.level' });
    expect(await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'zone' }, params: {} })).toMatchObject({
      field: 'scope.id',
    });
    // A zone with no server yet is checked on its own values too.
    const empty = await call(app, 'fleet:create-zone', { name: 'Empty', description: '' });
    expect(
      await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'zone', id: empty.id }, params: { raiseAfter: 10, window: 5 } }),
    ).toMatchObject({ field: 'params.raiseAfter' });
    // A window of 4 on the fleet is fine alone, but the server's own N of 5 then no longer fits.
    await call(app, 'alerts:set-rule', { kind: 'latency', scope: { level: 'server', id: servers[0]!.id }, params: { raiseAfter: 5 } });
    expect(await refusal('alerts:set-rule', { kind: 'latency', scope: { level: 'fleet' }, params: { window: 4 } })).toMatchObject({
      field: 'params.raiseAfter',
      message: expect.stringContaining('for server sw1'),
    });
    expect((await call(app, 'alerts:list-rules', {})).rules.map((r) => [r.scopeLabel, r.params])).toEqual([
      ['server sw1', { raiseAfter: 5 }],
    ]);
  });
});

describe('channels and routes', () => {
  it('keeps a webhook URL in the secret store only, showing where it goes', async () => {
    const saved = await call(app, 'alerts:save-channel', {
      name: 'NOC Slack',
      config: { kind: 'webhook', preset: 'slack' },
      secrets: { url: 'https://hooks.slack.com/services/T0/B0/xoxb-secret' },
    });
    expect(saved).toMatchObject({
      target: 'https://hooks.slack.com',
      secretsSet: { url: true, routingKey: false, password: false },
      config: { kind: 'webhook', preset: 'slack', timeoutMs: 10_000 },
    });
    expect(JSON.stringify(await call(app, 'alerts:list-channels', {}))).not.toContain('xoxb-secret');
    const row = app.store.db.prepare('SELECT * FROM alert_channels WHERE id = ?').get(saved.id);
    expect(JSON.stringify(row)).not.toContain('xoxb-secret');
    expect(secrets.get(`alert-channel:${saved.id}:url`)).toContain('xoxb-secret');
    // Saved again without the secret: kept as it was.
    const renamed = await call(app, 'alerts:save-channel', {
      id: saved.id,
      name: 'NOC Slack #ops',
      config: { kind: 'webhook', preset: 'slack' },
    });
    expect(renamed.secretsSet.url).toBe(true);
    await call(app, 'alerts:delete-channel', { id: saved.id });
    expect(secrets.get(`alert-channel:${saved.id}:url`)).toBeNull();
  });

  it('refuses a channel that could not deliver, naming what is missing', async () => {
    expect(await refusal('alerts:save-channel', { name: 'hook', config: { kind: 'webhook', preset: 'generic' } })).toMatchObject({
      field: 'secrets.url',
    });
    expect(
      await refusal('alerts:save-channel', {
        name: 'hook',
        config: { kind: 'webhook', preset: 'generic' },
        secrets: { url: 'ftp://example.net/x' },
      }),
    ).toMatchObject({ field: 'secrets.url', message: expect.stringContaining('https://') });
    expect(await refusal('alerts:save-channel', { name: 'pd', config: { kind: 'webhook', preset: 'pagerduty' } })).toMatchObject({
      field: 'secrets.routingKey',
    });
    expect(
      await refusal('alerts:save-channel', {
        name: 'mail',
        config: {
          kind: 'email',
          host: 'smtp.example.net',
          port: 587,
          security: 'starttls',
          user: 'noc',
          from: 'noc@example.net',
          to: ['oncall@example.net'],
        },
      }),
    ).toMatchObject({ field: 'secrets.password' });
    expect(
      await refusal('alerts:save-channel', {
        name: 'mail',
        config: {
          kind: 'email',
          host: 'smtp.example.net',
          port: 587,
          security: 'starttls',
          user: null,
          from: 'not an address',
          to: ['oncall@example.net'],
        },
      }),
    ).toMatchObject({ field: 'config.from' });
    expect(await refusal('alerts:save-channel', { name: 'Desktop', config: { kind: 'desktop' } })).toMatchObject({
      code: 'conflict',
      field: 'name',
    });
    expect((await call(app, 'alerts:list-channels', {})).map((c) => c.name)).toEqual(['Desktop']);
  });

  it('routes name an existing channel and scope', async () => {
    expect(await refusal('alerts:save-route', { channelId: 99, severities: ['critical'] })).toMatchObject({ code: 'not-found' });
    expect(await refusal('alerts:save-route', { channelId: 1, severities: [] })).toMatchObject({ field: 'severities' });
    expect(
      await refusal('alerts:save-route', { channelId: 1, severities: ['critical'], scope: { level: 'cluster', id: 'nope' } }),
    ).toMatchObject({ field: 'scope.id' });
    const route = await call(app, 'alerts:save-route', {
      channelId: 1,
      severities: ['critical', 'critical'],
      kinds: ['latency'],
      scope: { level: 'cluster', id: clusterId },
    });
    expect(route).toMatchObject({ severities: ['critical'], kinds: ['latency'], scopeLabel: 'cluster core-us' });
  });
});

describe('silences', () => {
  it('silence a server, a cluster or a zone with a reason, list and end them', async () => {
    const s = await call(app, 'alerts:create-silence', {
      scope: { level: 'cluster', id: clusterId },
      for: '1h30m',
      reason: 'carrier maintenance',
    });
    expect(s).toMatchObject({ scopeLabel: 'cluster core-us', reason: 'carrier maintenance', active: true });
    expect(s.endsAt - s.startsAt).toBe(90 * 60_000);
    const holds = await call(app, 'alerts:holds', {});
    expect(Object.keys(holds)).toEqual([servers[0]!.id]);
    await call(app, 'alerts:end-silence', { id: s.id });
    expect(await call(app, 'alerts:holds', {})).toEqual({});
    expect(await refusal('alerts:end-silence', { id: s.id })).toMatchObject({
      field: 'id',
      message: expect.stringContaining('already ended'),
    });
    expect(await call(app, 'alerts:list-silences', {})).toEqual([]);
    expect((await call(app, 'alerts:list-silences', { includeEnded: true }))[0]).toMatchObject({ id: s.id, active: false });
  });

  it('refuses a silence with no reason, no or two ends, a bad duration, or an unknown zone', async () => {
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: zoneId }, for: '1h', reason: ' ' })).toMatchObject({
      field: 'reason',
    });
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: zoneId }, reason: 'x' })).toMatchObject({ field: 'for' });
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: zoneId }, for: '1x', reason: 'x' })).toMatchObject({
      field: 'for',
    });
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: zoneId }, for: '500d', reason: 'x' })).toMatchObject({
      field: 'for',
    });
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: 'gone' }, for: '1h', reason: 'x' })).toMatchObject({
      code: 'not-found',
      field: 'scope.id',
    });
    expect(await refusal('alerts:create-silence', { scope: { level: 'zone', id: zoneId }, until: 1, reason: 'x' })).toMatchObject({
      field: 'until',
    });
    expect(await call(app, 'alerts:list-silences', { includeEnded: true })).toEqual([]);
  });
});
