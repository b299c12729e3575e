// One way of sending a delivery: a webhook (with its presets), an email, the desktop notification.
// A transport sends once and says what came back; retrying, backoff and the log are the worker's.
import type { DeliveryOutcome } from '../../../contract/alerts-delivery';
import type { NoticeBatch } from '../../../domain/alerts/notice';
import type { StoredChannel } from '../../store/alert-channels-repo';

/** The channel's secrets, read from the secret store at send time (never kept elsewhere). */
export interface ChannelSecretValues {
  url: string | null;
  routingKey: string | null;
  password: string | null;
}

export interface SendResult extends DeliveryOutcome {
  /** A receiver that asked to be left alone for a while (HTTP 429 Retry-After), in ms. */
  retryAfterMs?: number | null;
  /** A refusal no retry can fix (a 4xx other than 408/429, a refused login): do not retry. */
  permanent?: boolean;
}

export interface Transport {
  send(channel: StoredChannel, secrets: ChannelSecretValues, batch: NoticeBatch, signal?: AbortSignal): Promise<SendResult>;
}
