// A channel's secrets live in the secret store, one entry each, never in SQLite, snapshots or
// exports: the webhook URL (Slack and Teams put the token in it), PagerDuty's routing key, the
// SMTP password.
import type { ChannelSecretName } from '../../contract/alerts-delivery';
import type { SecretStore } from '../secrets/secret-store';
import type { ChannelSecretValues } from './transports/transport';

export const CHANNEL_SECRETS: readonly ChannelSecretName[] = ['url', 'routingKey', 'password'];

export function channelSecretKey(channelId: number, name: ChannelSecretName): string {
  return `alert-channel:${channelId}:${name}`;
}

export function readChannelSecrets(secrets: SecretStore, channelId: number): ChannelSecretValues {
  return {
    url: secrets.get(channelSecretKey(channelId, 'url')),
    routingKey: secrets.get(channelSecretKey(channelId, 'routingKey')),
    password: secrets.get(channelSecretKey(channelId, 'password')),
  };
}

export function forgetChannelSecrets(secrets: SecretStore, channelId: number): void {
  for (const name of CHANNEL_SECRETS) secrets.delete(channelSecretKey(channelId, name));
}
