import { afterEach, describe, expect, it } from 'vitest';
import { openHost, type HostApp } from '../../src/host/app';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// Deliveries that do not get through the first time, against a real HTTP receiver: a 500 is
// tried again after the backoff and then recorded as sent with every attempt in the log; a 404
// will not change by waiting, so it fails at once and the console raises the channel's own alert,
// which resolves once the channel delivers again.

const tempDir = useTempDirs();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function hostWithSilentServer(receiver: WebhookReceiver): Promise<{ app: HostApp; channelId: number }> {
  const app = openHost({ dataDir: tempDir(), monitoring: true, log: () => undefined, alertsRuntime: { tickMs: 100 } });
  cleanups.push(() => app.close());
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300 });
  const channel = await call(app, 'alerts:save-channel', {
    name: 'hook',
    config: { kind: 'webhook', preset: 'generic', timeoutMs: 2_000 },
    secrets: { url: receiver.url('/hook') },
  });
  await call(app, 'alerts:save-route', { channelId: channel.id, severities: ['critical', 'warning'] });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const silent = await freePort();
  await call(
    app,
    'fleet:create-server',
    draft(zone.id, {
      ip: '127.0.0.1',
      alias: 'quiet',
      config: { ...draft(zone.id).config, ports: { udp: silent, tcp: silent, tls: silent } },
    }),
  );
  return { app, channelId: channel.id };
}

describe('delivery retries and a failing channel', () => {
  it('retries after a 500 with backoff, then records it sent with both attempts', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer(() => (receiver.requests.length === 1 ? { status: 500, body: 'upstream broke' } : { status: 200, body: 'ok' }));
    const { app, channelId } = await hostWithSilentServer(receiver);
    const sent = await until(
      'the retried delivery to be sent',
      async () => (await call(app, 'alerts:list-deliveries', { channelId })).find((d) => d.state === 'sent'),
      25_000,
    );
    expect(sent.attempts.map((a) => [a.ok, a.status])).toEqual([
      [false, 500],
      [true, 200],
    ]);
    expect(sent.attempts[0]?.error).toContain('500');
    expect((sent.attempts[1]?.at ?? 0) - (sent.attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(4_900);
    // Both attempts carried the same delivery id, so the receiver can drop a repeat.
    expect(new Set(receiver.requests.map((r) => r.headers['x-switchyard-delivery'])).size).toBe(1);
    expect((await call(app, 'alerts:list-channels', {})).find((c) => c.id === channelId)).toMatchObject({
      failing: false,
      lastDelivery: { ok: true, status: 200 },
    });
  }, 40_000);

  it("a 404 fails at once and raises the channel's own alert; it resolves when the channel works again", async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer({ status: 404, body: 'no such hook' });
    const { app, channelId } = await hostWithSilentServer(receiver);
    const failed = await until(
      'the delivery to fail',
      async () => (await call(app, 'alerts:list-deliveries', { channelId })).find((d) => d.state === 'failed'),
      20_000,
    );
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]).toMatchObject({ ok: false, status: 404 });
    const channelAlert = await until('the channel-failing alert', async () =>
      (await call(app, 'alerts:list', {})).alerts.find((a) => a.kind === 'channel-failing'),
    );
    expect(channelAlert).toMatchObject({ subject: { type: 'channel', id: String(channelId), label: 'Channel hook' }, severity: 'warning' });
    expect(channelAlert.summary).toContain('404');
    expect((await call(app, 'alerts:list-channels', {})).find((c) => c.id === channelId)?.failing).toBe(true);
    // The failing channel is not told about itself; the desktop channel is.
    const aboutChannel = await until('the channel alert delivered', async () => {
      const found = (await call(app, 'alerts:list-deliveries', {})).filter((d) => d.alertIds.includes(channelAlert.id));
      return found.length > 0 ? found : null;
    });
    expect(aboutChannel.map((d) => d.channelName)).toEqual(['Desktop']);

    // Fixed: the next alert's delivery gets through and the channel's alert resolves.
    receiver.answer({ status: 200, body: 'ok' });
    await call(app, 'alerts:acknowledge', {
      ids: [(await call(app, 'alerts:list', { kind: 'consecutive-failures' })).alerts[0]!.id],
      note: 'ticket',
    });
    await until(
      'the channel alert to resolve',
      async () => (await call(app, 'alerts:get', { id: channelAlert.id })).state === 'resolved',
      20_000,
    );
    expect((await call(app, 'alerts:list-channels', {})).find((c) => c.id === channelId)?.failing).toBe(false);
  }, 60_000);
});
