import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/contract/events';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { startKamailio } from '../helpers/kamailio';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// The whole alerting path in one host, against real peers on loopback: real SIP probes to ports
// where nothing answers (and a real Kamailio for a server that comes back), the engine, grouping,
// and a real HTTP receiver for the webhook. Nothing here is a stand-in.

const tempDir = useTempDirs();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface GenericBody {
  switchyard: string;
  deliveryId: number;
  counts: Record<string, number>;
  alerts: {
    id: number;
    what: string;
    kind: string;
    subject: { label: string };
    summary: string;
    acknowledgedBy: string | null;
    ackNote: string | null;
  }[];
  omitted: number;
}

async function alertingHost(
  receiver: WebhookReceiver,
): Promise<{ app: HostApp; zoneId: string; notified: EventPayload<'alerts:notify'>[] }> {
  const app = openHost({ dataDir: tempDir(), monitoring: true, log: () => undefined, alertsRuntime: { tickMs: 100 } });
  cleanups.push(() => app.close());
  const notified: EventPayload<'alerts:notify'>[] = [];
  app.events.on((name, payload) => name === 'alerts:notify' && notified.push(payload as EventPayload<'alerts:notify'>));
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300 });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const channel = await call(app, 'alerts:save-channel', {
    name: 'NOC hook',
    config: { kind: 'webhook', preset: 'generic' },
    secrets: { url: receiver.url('/hooks/T0/secret-token') },
  });
  await call(app, 'alerts:save-route', { channelId: channel.id, severities: ['critical', 'warning', 'info'] });
  return { app, zoneId: zone.id, notified };
}

const bodies = (receiver: WebhookReceiver) => receiver.requests.map((r) => r.body as GenericBody);
const withWhat = (receiver: WebhookReceiver, what: string) => bodies(receiver).filter((b) => b.alerts.some((a) => a.what === what));

describe('alerts end to end in one host', () => {
  it('a silent SIP port raises "Server down" to the webhook and the desktop; acknowledged, then resolved when it answers', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const kamailio = await startKamailio();
    cleanups.push(() => kamailio.stop());
    const { app, zoneId, notified } = await alertingHost(receiver);
    const silent = await freePort();
    const config = (udp: number) => ({ ...draft(zoneId).config, ports: { udp, tcp: udp, tls: udp } });
    const server = await call(app, 'fleet:create-server', draft(zoneId, { ip: '127.0.0.1', alias: 'sbc-silent', config: config(silent) }));

    const fired = await until('the webhook to hear of it', () => withWhat(receiver, 'firing')[0], 20_000);
    expect(fired).toMatchObject({ switchyard: 'alerts', counts: { firing: 1 } });
    expect(fired.alerts[0]).toMatchObject({
      kind: 'consecutive-failures',
      subject: { label: 'sbc-silent (127.0.0.1)' },
      summary: 'SIP: 3 probes lost in a row',
    });
    const request = receiver.requests[0];
    expect(request?.headers['x-switchyard-delivery']).toBe(String(fired.deliveryId));
    expect(request?.url).toBe('/hooks/T0/secret-token');
    await until('the desktop notification', () => notified.find((n) => n.severity === 'critical'));
    expect(notified[0]).toMatchObject({ serverId: server.id });

    const [alert] = (await call(app, 'alerts:list', {})).alerts;
    expect(alert).toMatchObject({ state: 'firing', serverId: server.id, notifications: 1 });
    expect(await call(app, 'alerts:counts', {})).toMatchObject({ firing: 1, critical: 1, held: 0 });
    await call(app, 'alerts:acknowledge', { ids: [alert!.id], note: 'carrier ticket 4711' });
    const acked = await until('the acknowledgement delivered', () => withWhat(receiver, 'acknowledged')[0]);
    expect(acked.alerts[0]).toMatchObject({ ackNote: 'carrier ticket 4711' });
    expect(acked.alerts[0]?.acknowledgedBy).toBeTruthy();

    await call(app, 'fleet:update-server', {
      id: server.id,
      draft: draft(zoneId, { ip: '127.0.0.1', alias: 'sbc-silent', config: config(kamailio.ports.ok) }),
    });
    const resolved = await until('the resolution delivered', () => withWhat(receiver, 'resolved')[0], 20_000);
    expect(resolved.alerts[0]?.summary).toBe('Recovered: 2 answers in a row. (was: SIP: 3 probes lost in a row)');
    // The receiver has it; the worker records it as sent a moment later.
    const detail = await until('every delivery recorded as sent', async () => {
      const d = await call(app, 'alerts:get', { id: alert!.id });
      return d.deliveries.every((x) => x.state === 'sent') ? d : null;
    });
    expect(detail).toMatchObject({ state: 'resolved', resolveNote: 'Recovered: 2 answers in a row.' });
    expect(detail.deliveries.filter((d) => d.channelName === 'NOC hook').map((d) => [d.state, d.attempts[0]?.status])).toEqual([
      ['sent', 200],
      ['sent', 200],
      ['sent', 200],
    ]);
    // The token in the URL is a secret: no record the console can read holds it.
    expect(JSON.stringify(await call(app, 'alerts:list-channels', {}))).not.toContain('secret-token');
    expect(JSON.stringify(await call(app, 'alerts:list-deliveries', {}))).not.toContain('secret-token');
  }, 60_000);

  it('a storm: 300 servers going down at once make one message per route, not 300', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { app } = await alertingHost(receiver);
    const silent = await freePort();
    const fleet = {
      switchyard: 'fleet',
      version: 1,
      zones: [{ name: 'Loopback', description: '' }],
      clusters: [],
      servers: Array.from({ length: 300 }, (_, i) => ({
        ip: i < 250 ? `127.0.33.${i + 1}` : `127.0.34.${i - 249}`,
        alias: `storm-${i + 1}`,
        type: 'switch',
        zone: 'Loopback',
        config: { ports: { udp: silent, tcp: silent, tls: silent } },
      })),
      rtpServers: [],
    };
    await call(app, 'fleet:import', { format: 'json', text: JSON.stringify(fleet) });
    await until('300 alerts', async () => (await call(app, 'alerts:counts', {})).firing === 300, 30_000);
    const fired = await until(
      'the webhook',
      () =>
        withWhat(receiver, 'firing').find((b) => b.counts['firing'] === 300) ??
        (withWhat(receiver, 'firing').length > 1 ? withWhat(receiver, 'firing')[0] : undefined),
      10_000,
    );
    expect(withWhat(receiver, 'firing')).toHaveLength(1);
    expect(fired.counts['firing']).toBe(300);
    expect(fired.alerts).toHaveLength(50);
    expect(fired.omitted).toBe(250);
    const deliveries = await call(app, 'alerts:list-deliveries', {});
    // One per route: the webhook's and the desktop's (every new install has the desktop route).
    expect(
      deliveries
        .filter((d) => !d.test)
        .map((d) => d.channelName)
        .sort(),
    ).toEqual(['Desktop', 'NOC hook']);
  }, 60_000);
});
