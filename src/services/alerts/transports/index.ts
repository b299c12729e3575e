// The transports by channel kind. Each is made once and shared by every channel of its kind:
// they hold no per-channel state (settings and secrets come with each send).
import type { StoredChannel } from '../../store/alert-channels-repo';
import { createDesktopTransport, type Notify } from './desktop';
import { createEmailTransport } from './email';
import type { Transport } from './transport';
import { createWebhookTransport } from './webhook';

export interface TransportDeps {
  /** Emits `alerts:notify` for the desktop channel. */
  notify: Notify;
  /** Replaces the global fetch for webhooks (tests). */
  fetch?: typeof fetch;
}

export function createTransports(deps: TransportDeps): (channel: StoredChannel) => Transport {
  const byKind: Record<StoredChannel['config']['kind'], Transport> = {
    desktop: createDesktopTransport(deps.notify),
    webhook: createWebhookTransport(deps.fetch ? { fetch: deps.fetch } : {}),
    email: createEmailTransport(),
  };
  return (channel) => byKind[channel.config.kind];
}

export { createDesktopTransport, createEmailTransport, createWebhookTransport };
export type { Notify, Transport };
export type { ChannelSecretValues, SendResult } from './transport';
