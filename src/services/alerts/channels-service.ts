// Delivery channels and routes as the console edits them. A channel's secrets go to the secret
// store and never come back out: the console only learns whether each one is set, and a webhook's
// scheme and host to show where it goes.
import type { Channel, ChannelInput, Delivery, DeliveryOutcome, Route, RouteInput } from '../../contract/alerts-delivery';
import { conflict, invalid, notFound } from '../../domain/errors';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredChannel, StoredRoute } from '../store/alert-channels-repo';
import type { Store } from '../store/store';
import { CHANNEL_SECRETS, channelSecretKey, forgetChannelSecrets } from './channel-secrets';
import type { DeliveryWorker } from './delivery-worker';
import { toDelivery } from './alerts-service';
import { scopeLabelOf } from './scope-label';

export interface ChannelsServiceDeps {
  store: Store;
  clock: () => number;
  secrets: SecretStore;
  worker: DeliveryWorker;
  onChanged: (what: ('channels' | 'deliveries')[]) => void;
}

/** Scheme, host and port of a URL: where a webhook goes, without the token its path or query carry. */
export function webhookTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('secrets.url', 'The webhook URL is not a URL (it must start with https:// or http://).');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid('secrets.url', `The webhook URL must use https:// (or http://), not ${parsed.protocol}//.`);
  if (parsed.username !== '' || parsed.password !== '') throw invalid('secrets.url', 'Put no user name or password in the webhook URL.');
  return `${parsed.protocol}//${parsed.host}`;
}

export function createChannelsService(deps: ChannelsServiceDeps) {
  const { store, secrets } = deps;
  const isSet = (id: number, name: (typeof CHANNEL_SECRETS)[number]) => secrets.get(channelSecretKey(id, name)) !== null;

  const toChannel = (c: StoredChannel): Channel => {
    const last = store.alertDeliveries.lastAttempt(c.id);
    return {
      id: c.id,
      name: c.name,
      enabled: c.enabled,
      config: c.config,
      secretsSet: { url: isSet(c.id, 'url'), routingKey: isSet(c.id, 'routingKey'), password: isSet(c.id, 'password') },
      target: c.target,
      createdAt: c.createdAt,
      lastDelivery: last,
      failing: c.failing,
    };
  };

  const toRoute = (r: StoredRoute): Route => ({ ...r, scopeLabel: scopeLabelOf(store, r.scope) });

  const requireChannel = (id: number): StoredChannel => {
    const channel = store.alertChannels.channel(id);
    if (!channel) throw notFound('Channel', String(id));
    return channel;
  };

  /** Which secrets the channel needs once saved, given what is set and what this save changes. */
  const checkSecrets = (input: ChannelInput, existing: StoredChannel | null): void => {
    const will = (name: (typeof CHANNEL_SECRETS)[number]) => {
      const given = input.secrets[name];
      if (given !== undefined) return given !== null;
      return existing !== null && isSet(existing.id, name);
    };
    const config = input.config;
    if (config.kind === 'webhook') {
      if (config.preset === 'pagerduty' && !will('routingKey'))
        throw invalid('secrets.routingKey', 'PagerDuty needs the routing key (integration key) of an Events API v2 integration.');
      if (config.preset !== 'pagerduty' && !will('url')) throw invalid('secrets.url', 'A webhook needs its URL.');
    }
    if (config.kind === 'email' && config.user !== null && !will('password'))
      throw invalid('secrets.password', `The SMTP user ${config.user} needs a password.`);
  };

  return {
    list: (): Channel[] => store.alertChannels.channels().map(toChannel),
    save(input: ChannelInput): Channel {
      const existing = input.id === undefined ? null : requireChannel(input.id);
      const sameName = store.alertChannels.channelIdByName(input.name);
      if (sameName !== null && sameName !== existing?.id) throw conflict('name', `A channel named "${input.name}" already exists.`);
      checkSecrets(input, existing);
      const url = input.secrets.url;
      let target = existing?.target ?? null;
      if (input.config.kind !== 'webhook') target = null;
      else if (url !== undefined) target = url === null ? null : webhookTarget(url);
      else if (input.config.preset === 'pagerduty' && target === null) target = 'https://events.pagerduty.com';
      const saved = store.transaction(() => {
        if (existing) {
          store.alertChannels.updateChannel({ id: existing.id, name: input.name, enabled: input.enabled, config: input.config, target });
          return requireChannel(existing.id);
        }
        return store.alertChannels.insertChannel({
          name: input.name,
          enabled: input.enabled,
          config: input.config,
          target,
          createdAt: deps.clock(),
        });
      });
      // Secrets after the row exists (a refused save must not leave a secret behind).
      for (const name of CHANNEL_SECRETS) {
        const value = input.secrets[name];
        if (value === undefined) continue;
        if (value === null) secrets.delete(channelSecretKey(saved.id, name));
        else secrets.set(channelSecretKey(saved.id, name), value);
      }
      deps.onChanged(['channels']);
      return toChannel(saved);
    },
    delete(id: number): { deleted: boolean } {
      requireChannel(id);
      const deleted = store.alertChannels.deleteChannel(id);
      forgetChannelSecrets(secrets, id);
      deps.onChanged(['channels']);
      return { deleted };
    },
    async test(id: number): Promise<DeliveryOutcome> {
      const channel = requireChannel(id);
      const outcome = await deps.worker.test(channel);
      deps.onChanged(['deliveries', 'channels']);
      return outcome;
    },
    routes: (): Route[] => store.alertChannels.routes().map(toRoute),
    saveRoute(input: RouteInput): Route {
      requireChannel(input.channelId);
      scopeLabelOf(store, input.scope, 'scope.id');
      const route = {
        channelId: input.channelId,
        enabled: input.enabled,
        severities: [...new Set(input.severities)],
        kinds: [...new Set(input.kinds)],
        scope: input.scope,
        notifyResolved: input.notifyResolved,
      };
      let saved: StoredRoute;
      if (input.id === undefined) saved = store.alertChannels.insertRoute(route);
      else {
        if (!store.alertChannels.route(input.id)) throw notFound('Route', String(input.id));
        saved = { ...route, id: input.id };
        store.alertChannels.updateRoute(saved);
      }
      deps.onChanged(['channels']);
      return toRoute(saved);
    },
    deleteRoute(id: number): { deleted: boolean } {
      if (!store.alertChannels.route(id)) throw notFound('Route', String(id));
      const deleted = store.alertChannels.deleteRoute(id);
      deps.onChanged(['channels']);
      return { deleted };
    },
    deliveries(channelId: number | undefined, limit: number): Delivery[] {
      return store.alertDeliveries.list(channelId, limit).map((d) => toDelivery(d, store.alertDeliveries.attempts(d.id)));
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
