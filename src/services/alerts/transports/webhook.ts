// The webhook transport: POSTs the channel preset's JSON (generic, Slack, Teams, PagerDuty).
//
// - Only http: and https: URLs. Redirects are never followed (a 3xx fails the delivery): a
//   hook that moved must be set again, not chased to wherever a receiver points.
// - Each request is cut at the channel's timeout; a receiver's body is read up to 64 KB.
// - 2xx is success. 408, 429 (Retry-After read) and 5xx may pass later; any other answer will
//   not change by waiting and is `permanent`.
// - Error texts name the receiver by scheme://host:port only (see redact.ts).
// - PagerDuty's events (one per incident group) are posted in order; the delivery succeeds
//   only when all are accepted, and a failure stops the rest (a retry sends them all again,
//   which PagerDuty's dedup keys make harmless).
import { PAGERDUTY_EVENTS_URL, webhookBodies } from '../../../domain/alerts/formats';
import type { WebhookPreset } from '../../../contract/alerts-delivery';
import type { NoticeBatch } from '../../../domain/alerts/notice';
import type { StoredChannel } from '../../store/alert-channels-repo';
import { excerpt, readCapped, retryAfterMs } from './http-answer';
import { origin, redactor, urlSecrets } from './redact';
import type { ChannelSecretValues, SendResult, Transport } from './transport';

export interface WebhookTransportOptions {
  fetch?: typeof fetch;
  /** Wall clock, for Retry-After given as a date. */
  clock?: () => number;
}

type Failure = Omit<SendResult, 'ms'>;

const fail = (error: string, permanent: boolean, status: number | null = null): Failure => ({ ok: false, status, error, permanent });

/** Where to post and with which routing key, or why it cannot be sent. */
interface Target {
  url: URL;
  routingKey: string | null;
  preset: WebhookPreset;
  timeoutMs: number;
}

function target(channel: StoredChannel, secrets: ChannelSecretValues): Target | Failure {
  if (channel.config.kind !== 'webhook') return fail(`The channel "${channel.name}" is not a webhook.`, true);
  const pagerduty = channel.config.preset === 'pagerduty';
  if (pagerduty && !secrets.routingKey)
    return fail('The PagerDuty routing key is not set: set the integration key in the channel settings.', true);
  const raw = secrets.url ?? (pagerduty ? PAGERDUTY_EVENTS_URL : null);
  if (!raw) return fail('The webhook URL is not set: set it in the channel settings.', true);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('The webhook URL is not a valid URL: set it again in the channel settings.', true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail(`The webhook URL must start with http:// or https:// (it starts with ${url.protocol}//).`, true);
  if (url.username || url.password)
    return fail('The webhook URL must not hold a user name or password: receivers take their token in the path or query.', true);
  return { url, routingKey: pagerduty ? secrets.routingKey : null, preset: channel.config.preset, timeoutMs: channel.config.timeoutMs };
}

function headers(batch: NoticeBatch, index: number, count: number): Record<string, string> {
  // One key per request: a receiver that honours Idempotency-Key drops only true repeats.
  const key = `switchyard-delivery-${batch.deliveryId}${count > 1 ? `-event-${index + 1}` : ''}`;
  return {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
    'User-Agent': `Switchyard/${batch.version}`,
    'X-Switchyard-Delivery': String(batch.deliveryId),
    'Idempotency-Key': key,
  };
}

/** Why fetch threw, in words, without the URL. */
function reason(error: unknown, redact: (text: string) => string): string {
  if (!(error instanceof Error)) return redact(String(error));
  const cause = error.cause instanceof Error ? error.cause : null;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  return redact(cause?.message ?? error.message);
}

export function createWebhookTransport(options: WebhookTransportOptions = {}): Transport {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;

  async function post(
    url: URL,
    where: string,
    body: unknown,
    head: Record<string, string>,
    timeoutMs: number,
    redact: (t: string) => string,
    signal?: AbortSignal,
  ): Promise<Failure & { status: number | null }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: head,
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted) return fail(`No answer from ${where} within ${timeoutMs / 1000} s.`, false);
      if (signal?.aborted) return fail(`Sending to ${where} was cancelled.`, false);
      return fail(`Could not reach ${where}: ${reason(error, redact)}.`, false);
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      response.body?.cancel().catch(() => undefined);
      return { ok: true, status, error: null };
    }
    const text = excerpt(redact(await readCapped(response)));
    const said = text ? `: ${text}` : '';
    if ((status >= 300 && status < 400) || response.type === 'opaqueredirect' || status === 0) {
      return fail(
        `${where} answered HTTP ${status}, a redirect; redirects are not followed: set the final URL in the channel settings.`,
        true,
        status || null,
      );
    }
    if (status === 429)
      return {
        ...fail(`${where} answered HTTP 429 (too many requests)${said}.`, false, status),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), clock()),
      };
    const permanent = status >= 400 && status < 500 && status !== 408;
    return fail(`${where} answered HTTP ${status}${said}.`, permanent, status);
  }

  return {
    async send(channel, secrets, batch, signal) {
      const started = performance.now();
      const done = (r: Failure): SendResult => ({ ...r, ms: performance.now() - started });
      const to = target(channel, secrets);
      if ('ok' in to) return done(to);
      const { preset, timeoutMs } = to;
      const where = origin(to.url);
      const redact = redactor([...urlSecrets(to.url), to.routingKey]);
      const bodies = webhookBodies(preset, batch, to.routingKey);
      let last: Failure = { ok: true, status: null, error: null };
      for (const [index, body] of bodies.entries()) {
        last = await post(to.url, where, body, headers(batch, index, bodies.length), timeoutMs, redact, signal);
        if (!last.ok) {
          const which = bodies.length > 1 ? `Event ${index + 1} of ${bodies.length}: ` : '';
          return done({ ...last, error: `${which}${last.error ?? 'failed'}` });
        }
      }
      return done(last);
    },
  };
}
