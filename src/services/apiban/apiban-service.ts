import type { ApibanMethod, ApibanStatus, ApibanSyncResult } from '../../contract/apiban-methods';
import { APIBAN_EXPIRY_MS } from '../../domain/apiban/banned-page';
import { conflict, DomainError, invalid } from '../../domain/errors';
import { canonicalIp } from '../../domain/fleet/ip';
import type { RecipeBook } from '../../domain/ssh/recipe';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';
import { applyBans, type ServerExec } from './apply-bans';
import type { ApibanClient } from './apiban-client';

export const APIBAN_KEY_SECRET = 'apiban-key';

export interface SyncProgress {
  state: 'fetching' | 'waiting' | 'done' | 'failed';
  pages: number;
  added: number;
  refreshed: number;
  nextId: string;
  message: string;
}

export interface ApibanServiceDeps {
  store: Store;
  secrets: SecretStore;
  client: ApibanClient;
  clock: () => number;
  recipes: () => RecipeBook;
  exec: ServerExec;
  onProgress?: (progress: SyncProgress) => void;
  onChanged?: () => void;
  /** Back-off on HTTP 429: first wait, doubling, and how many waits before the sync stops for now. */
  backoff?: { firstMs?: number; maxMs?: number; maxRetries?: number };
  sleep?: (ms: number) => Promise<void>;
}

/** A runaway server (the same ID over and over) cannot keep a sync going forever. */
const MAX_PAGES = 20_000;

export function createApibanService(deps: ApibanServiceDeps) {
  const { store, secrets, client, clock } = deps;
  const firstMs = deps.backoff?.firstMs ?? 2_000;
  const maxMs = deps.backoff?.maxMs ?? 60_000;
  const maxRetries = deps.backoff?.maxRetries ?? 5;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const progress = deps.onProgress ?? (() => {});
  const changed = deps.onChanged ?? (() => {});
  let syncing = false;

  const expire = (): number => store.apiban.expireSeenBefore(clock() - APIBAN_EXPIRY_MS);
  const requireKey = (): string => {
    const key = secrets.get(APIBAN_KEY_SECRET);
    if (!key) throw invalid('key', 'No APIBAN key is set. Enter your key from apiban.org first.');
    return key;
  };
  const forbidden = (): DomainError => invalid('key', 'APIBAN refused the key (HTTP 403). Check it on apiban.org and enter it again.');

  const status = (): ApibanStatus => {
    expire();
    const state = store.apiban.state();
    return { keySet: secrets.get(APIBAN_KEY_SECRET) !== null, ...state, addresses: store.apiban.count(), syncing, applied: store.apiban.applied() };
  };

  async function runSync(key: string, baseUrl: string): Promise<ApibanSyncResult> {
    const expired = expire();
    let id = store.apiban.state().nextId;
    let pages = 0;
    let added = 0;
    let refreshed = 0;
    let retries = 0;
    const report = (state: SyncProgress['state'], message: string) => progress({ state, pages, added, refreshed, nextId: id, message });
    const finish = (outcome: ApibanSyncResult['outcome'], message: string): ApibanSyncResult => {
      store.apiban.setOutcome(clock(), outcome, message);
      report(outcome === 'complete' ? 'done' : 'failed', message);
      changed();
      return { outcome, pages, added, refreshed, expired, nextId: id, message };
    };

    while (pages < MAX_PAGES) {
      report('fetching', `Fetching the page from ID ${id}…`);
      const answer = await client.banned(baseUrl, key, id);
      if (answer.kind === 'end') {
        return finish('complete', `Up to date: ${added} new and ${refreshed} seen again over ${pages} page${pages === 1 ? '' : 's'}. The next sync resumes from ID ${id}.`);
      }
      if (answer.kind === 'forbidden') {
        finish('failed', 'APIBAN refused the key (HTTP 403).');
        throw forbidden();
      }
      if (answer.kind === 'error') return finish('failed', `${answer.message} Nothing fetched so far is lost; the next sync resumes from ID ${id}.`);
      if (answer.kind === 'rate-limited') {
        retries++;
        if (retries > maxRetries) {
          return finish('rate-limited', `APIBAN is rate-limiting this key (HTTP 429). ${added} new addresses were kept; the next sync resumes from ID ${id}.`);
        }
        const wait = Math.min(maxMs, answer.retryAfterMs ?? firstMs * 2 ** (retries - 1));
        report('waiting', `Rate limited by APIBAN (HTTP 429): waiting ${Math.ceil(wait / 1000)} s, then resuming from ID ${id}.`);
        await sleep(wait);
        continue;
      }
      retries = 0;
      const isNew = store.apiban.savePage(answer.ips, clock(), answer.nextId);
      added += isNew;
      refreshed += answer.ips.length - isNew;
      pages++;
      if (answer.nextId === id) return finish('complete', `APIBAN returned the same ID ${id} again; stopped here. ${added} new addresses.`);
      id = answer.nextId;
    }
    return finish('failed', `Stopped after ${MAX_PAGES} pages; the next sync resumes from ID ${id}.`);
  }

  return {
    status,

    setKey(input: { key?: string | null | undefined; baseUrl?: string | undefined }): ApibanStatus {
      if (input.key === null) secrets.delete(APIBAN_KEY_SECRET);
      else if (input.key !== undefined) secrets.set(APIBAN_KEY_SECRET, input.key);
      if (input.baseUrl !== undefined) store.apiban.setBaseUrl(input.baseUrl.replace(/\/+$/, ''));
      changed();
      return status();
    },

    async sync(): Promise<ApibanSyncResult> {
      if (syncing) throw conflict('sync', 'A sync is already running; its progress is shown on the APIBAN page.');
      const key = requireKey();
      syncing = true;
      try {
        return await runSync(key, store.apiban.state().baseUrl);
      } finally {
        syncing = false;
      }
    },

    async check(ipText: string) {
      const ip = canonicalIp(ipText);
      if (ip === null) throw invalid('ip', `"${ipText}" is not an IP address.`);
      const key = requireKey();
      const answer = await client.check(store.apiban.state().baseUrl, key, ip);
      if ('kind' in answer) {
        if (answer.kind === 'forbidden') throw forbidden();
        if (answer.kind === 'rate-limited') throw new DomainError('conflict', 'APIBAN is rate-limiting this key (HTTP 429); try the check again in a minute.');
        throw new DomainError('internal', answer.message);
      }
      expire();
      const local = store.apiban.get(ip);
      return { ip, banned: answer.banned, id: answer.banned ? answer.id : null, inLocalList: local !== null, lastSeen: local?.lastSeen ?? null };
    },

    list(search: string, limit: number, offset: number) {
      expire();
      return store.apiban.page(search, limit, offset);
    },

    async apply(serverIds: string[], method: ApibanMethod | undefined) {
      expire();
      const results = await applyBans({ store, exec: deps.exec, clock, book: deps.recipes(), serverIds, method, ips: store.apiban.allIps() });
      changed();
      return { results };
    },
  };
}

export type ApibanService = ReturnType<typeof createApibanService>;
