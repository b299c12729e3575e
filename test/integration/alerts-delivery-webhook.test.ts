import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookPreset } from '../../src/contract/alerts-delivery';
import { renderGeneric, renderPagerDuty, renderSlack, renderTeams } from '../../src/domain/alerts/formats';
import { hostile, mixed, oneAlert, testBatch } from '../../src/domain/alerts/formats/sample-batches';
import { createWebhookTransport } from '../../src/services/alerts/transports/webhook';
import type { ChannelSecretValues, SendResult } from '../../src/services/alerts/transports/transport';
import type { StoredChannel } from '../../src/services/store/alert-channels-repo';
import { freePort } from '../helpers/free-port';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// The webhook transport against a real HTTP server on 127.0.0.1: what each preset's receiver
// gets, and how every kind of answer (and no answer) is reported. The hook's token lives in its
// path and query, as Slack's and Teams' do, and must never show in an error.

const TOKEN = 'T0KEN5ecretB00CAFE';
const SIG = 'sig5ecretQ9Zx';
const ROUTING_KEY = 'R0UT1NGKEY5ecret00000000000000';
const PATH = `/services/T01/${TOKEN}?sig=${SIG}`;

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.answer({ status: 200, body: 'ok' });
});

const channel = (preset: WebhookPreset, timeoutMs = 5_000): StoredChannel => ({
  id: 3,
  name: 'NOC',
  enabled: true,
  config: { kind: 'webhook', preset, timeoutMs },
  target: null,
  createdAt: 0,
  failing: false,
  failures: 0,
});

const secrets = (over: Partial<ChannelSecretValues> = {}): ChannelSecretValues => ({
  url: receiver.url(PATH),
  routingKey: null,
  password: null,
  ...over,
});

/** No part of the token, the signature or the routing key in the error text. */
function expectNoSecrets(result: SendResult): void {
  for (const secret of [TOKEN, SIG, ROUTING_KEY, '/services/T01']) expect(result.error ?? '').not.toContain(secret);
}

const transport = createWebhookTransport();

describe('webhook presets as received', () => {
  it('posts the generic body with its headers', async () => {
    const batch = oneAlert();
    const result = await transport.send(channel('generic'), secrets(), batch);
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(result.ms).toBeGreaterThan(0);
    const [request, ...rest] = receiver.requests;
    expect(rest).toEqual([]);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(PATH);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Switchyard/0.1.0',
      'x-switchyard-delivery': '1234',
      'idempotency-key': 'switchyard-delivery-1234',
    });
    expect(request?.body).toEqual(JSON.parse(JSON.stringify(renderGeneric(batch))));
    expect(request?.body).toMatchObject({ switchyard: 'alerts', version: 1, deliveryId: 1234, alerts: [{ id: 812, what: 'firing' }] });
  });

  it('posts Slack blocks with hostile text escaped', async () => {
    const batch = hostile();
    const result = await transport.send(channel('slack'), secrets(), batch);
    expect(result.ok).toBe(true);
    const body = receiver.requests[0]?.body as ReturnType<typeof renderSlack>;
    expect(body).toEqual(renderSlack(batch));
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Switchyard: FIRING 1' } });
    expect(JSON.stringify(body)).toContain('&lt;script&gt;');
    expect(JSON.stringify(body)).not.toContain('<script');
  });

  it('posts a Teams Adaptive Card (Workflows answer 202)', async () => {
    receiver.answer({ status: 202, body: '' });
    const batch = mixed();
    const result = await transport.send(channel('teams'), secrets(), batch);
    expect(result).toMatchObject({ ok: true, status: 202 });
    const body = receiver.requests[0]?.body as ReturnType<typeof renderTeams>;
    expect(body).toEqual(JSON.parse(JSON.stringify(renderTeams(batch))));
    expect(body.type).toBe('message');
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
  });

  it('posts one PagerDuty event per group, in order, with routing and dedup keys', async () => {
    receiver.answer((r) => ({
      status: 202,
      body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: (r.body as { dedup_key: string }).dedup_key }),
    }));
    const batch = mixed();
    const result = await transport.send(
      channel('pagerduty'),
      secrets({ url: receiver.url('/v2/enqueue'), routingKey: ROUTING_KEY }),
      batch,
    );
    expect(result).toMatchObject({ ok: true, status: 202, error: null });
    expect(receiver.requests.map((r) => r.body)).toEqual(JSON.parse(JSON.stringify(renderPagerDuty(batch, ROUTING_KEY))));
    expect(
      receiver.requests.map((r) => [
        (r.body as { event_action: string }).event_action,
        (r.body as { dedup_key: string }).dedup_key,
        (r.body as { routing_key: string }).routing_key,
      ]),
    ).toEqual([
      ['acknowledge', 'switchyard-route-7-consecutive-failures', ROUTING_KEY],
      ['trigger', 'switchyard-route-7-cert-expiry', ROUTING_KEY],
    ]);
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      'switchyard-delivery-1234-event-1',
      'switchyard-delivery-1234-event-2',
    ]);
  });

  it('sends a PagerDuty test as a trigger then a resolve', async () => {
    receiver.answer({ status: 202, body: '{"status":"success"}' });
    const result = await transport.send(
      channel('pagerduty'),
      secrets({ url: receiver.url('/v2/enqueue'), routingKey: ROUTING_KEY }),
      testBatch(),
    );
    expect(result.ok).toBe(true);
    expect(receiver.requests.map((r) => (r.body as { event_action: string }).event_action)).toEqual(['trigger', 'resolve']);
  });

  it('fails the delivery when one PagerDuty event is refused, saying which', async () => {
    receiver.answer((r) =>
      receiver.requests.indexOf(r) === 1
        ? { status: 400, body: '{"status":"invalid event","errors":["\'payload.severity\' is invalid"]}' }
        : { status: 202, body: '{}' },
    );
    const result = await transport.send(
      channel('pagerduty'),
      secrets({ url: receiver.url('/v2/enqueue'), routingKey: ROUTING_KEY }),
      mixed(),
    );
    expect(result).toMatchObject({ ok: false, status: 400, permanent: true });
    expect(result.error).toMatch(/^Event 2 of 2: http:\/\/127\.0\.0\.1:\d+ answered HTTP 400: \{"status":"invalid event"/);
    expectNoSecrets(result);
  });
});

describe('webhook answers and failures', () => {
  it('reports a 500 with an excerpt of the body, to be retried', async () => {
    receiver.answer({ status: 500, body: 'upstream\n exploded '.repeat(100) });
    const result = await transport.send(channel('generic'), secrets(), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 500, permanent: false });
    expect(result.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+ answered HTTP 500: upstream exploded upstream/);
    expect((result.error ?? '').length).toBeLessThan(300);
    expectNoSecrets(result);
  });

  it('reports a 404 as permanent, with the echoed path cut out', async () => {
    receiver.answer((r) => ({ status: 404, body: `Cannot POST ${r.url} (no such hook: ${TOKEN})` }));
    const result = await transport.send(channel('slack'), secrets(), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 404, permanent: true });
    expect(result.error).toContain('answered HTTP 404: Cannot POST [redacted]');
    expectNoSecrets(result);
  });

  it('reads Retry-After on a 429, in seconds or as a date', async () => {
    receiver.answer({ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } });
    const result = await transport.send(channel('slack'), secrets(), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 429, permanent: false, retryAfterMs: 7_000 });
    expectNoSecrets(result);
    const at = new Date(Date.now() + 90_000).toUTCString();
    receiver.answer({ status: 429, headers: { 'retry-after': at } });
    const dated = await transport.send(channel('slack'), secrets(), oneAlert());
    expect(dated.retryAfterMs).toBeGreaterThan(80_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('treats 408 as worth retrying', async () => {
    receiver.answer({ status: 408 });
    expect(await transport.send(channel('generic'), secrets(), oneAlert())).toMatchObject({ ok: false, status: 408, permanent: false });
  });

  it('cuts a hanging receiver at the channel timeout', async () => {
    receiver.answer('hang');
    const started = performance.now();
    const result = await transport.send(channel('generic', 600), secrets(), oneAlert());
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, status: null, permanent: false });
    expect(result.error).toMatch(/^No answer from http:\/\/127\.0\.0\.1:\d+ within 0\.6 s\.$/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(5_000);
    expect(receiver.requests).toHaveLength(1);
  });

  it('stops when the caller cancels', async () => {
    receiver.answer('hang');
    const controller = new AbortController();
    const sending = transport.send(channel('generic', 30_000), secrets(), oneAlert(), controller.signal);
    await expect.poll(() => receiver.requests.length).toBe(1);
    controller.abort();
    expect(await sending).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/was cancelled/) });
  });

  it('never follows a redirect', async () => {
    receiver.answer((r) =>
      r.url.startsWith('/moved') ? { status: 200 } : { status: 302, headers: { location: receiver.url(`/moved/${TOKEN}`) } },
    );
    const result = await transport.send(channel('generic'), secrets(), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 302, permanent: true });
    expect(result.error).toMatch(/HTTP 302, a redirect; redirects are not followed/);
    expect(receiver.requests.map((r) => r.url)).toEqual([PATH]);
    expectNoSecrets(result);
  });

  it('reports a refused connection by scheme, host and port only, to be retried', async () => {
    const port = await freePort();
    const result = await transport.send(channel('generic'), secrets({ url: `http://127.0.0.1:${port}${PATH}` }), oneAlert());
    expect(result).toEqual({
      ok: false,
      status: null,
      permanent: false,
      error: `Could not reach http://127.0.0.1:${port}: the connection was refused.`,
      ms: expect.any(Number),
    });
  });

  it('refuses missing secrets and other schemes before sending anything', async () => {
    const cases: [WebhookPreset, Partial<ChannelSecretValues>, RegExp][] = [
      ['slack', { url: null }, /webhook URL is not set: set it in the channel settings/],
      ['pagerduty', { url: null, routingKey: null }, /PagerDuty routing key is not set/],
      ['generic', { url: `ftp://127.0.0.1${PATH}` }, /must start with http:\/\/ or https:\/\//],
      ['generic', { url: 'not a url' }, /not a valid URL/],
      ['generic', { url: `http://user:${TOKEN}@127.0.0.1/` }, /must not hold a user name or password/],
    ];
    for (const [preset, over, message] of cases) {
      const result = await transport.send(channel(preset), secrets(over), oneAlert());
      expect(result).toMatchObject({ ok: false, status: null, permanent: true });
      expect(result.error).toMatch(message);
      expectNoSecrets(result);
    }
    expect(receiver.requests).toEqual([]);
  });
});
