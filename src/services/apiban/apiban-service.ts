import type { ApibanApplied, ApibanMethod, ApibanStatus, ApibanSyncResult } from '../../contract/apiban-methods';
import { APIBAN_EXPIRY_MS } from '../../domain/apiban/banned-page';
import { checkBaseUrl, parseHttpHost } from '../../domain/apiban/base-url';
import { conflict, DomainError, invalid } from '../../domain/errors';
import { canonicalIp } from '../../domain/fleet/ip';
import type { RecipeBook } from '../../domain/ssh/recipe';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';
import { UNREACHABLE_MESSAGE, type ApibanClient, type ApibanTarget } from './apiban-client';
import { createApibanSettings } from './apiban-settings';
import { keyRefused, runSync, type SyncProgress } from './apiban-sync';
import { applyBans } from './apply-bans';
import type { ServerExec } from '../ssh/server-exec';
import { currentProtection } from './protection';

export const APIBAN_KEY_SECRET = 'apiban-key';
export type { SyncProgress } from './apiban-sync';

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
  /** This host's own addresses, never banned (its interfaces by default). */
  hostAddresses?: () => string[];
  /** Whether this host runs the schedule now (the scheduler sets it); false for one-shot hosts. */
  scheduleRunning?: () => boolean;
}

export function createApibanService(deps: ApibanServiceDeps) {
  const { store, secrets, client, clock } = deps;
  const backoff = {
    firstMs: deps.backoff?.firstMs ?? 2_000,
    maxMs: deps.backoff?.maxMs ?? 60_000,
    maxRetries: deps.backoff?.maxRetries ?? 5,
  };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const progress = deps.onProgress ?? (() => {});
  const changed = deps.onChanged ?? (() => {});
  let syncing = false;
  /** Servers a command is running on now: two applies on one server would race on its temporary set. */
  const applying = new Set<string>();

  const expire = (): number => store.apiban.expireSeenBefore(clock() - APIBAN_EXPIRY_MS, clock());
  const protection = () => currentProtection(store, deps.hostAddresses);
  const keySet = (): boolean => secrets.get(APIBAN_KEY_SECRET) !== null;
  const requireKey = (): string => {
    const key = secrets.get(APIBAN_KEY_SECRET);
    if (!key) throw invalid('key', 'No APIBAN key is set. Enter your key from apiban.org first.');
    return key;
  };
  const target = (key: string): ApibanTarget => ({
    baseUrl: store.apiban.state().baseUrl,
    key,
    httpHost: store.apiban.schedule().httpHost,
  });
  const settings = createApibanSettings({
    store,
    clock,
    keySet,
    recipes: deps.recipes,
    protection,
    scheduleRunning: deps.scheduleRunning ?? (() => false),
    changed,
  });

  const status = (): ApibanStatus => {
    expire();
    const state = store.apiban.state();
    const sched = store.apiban.schedule();
    return {
      keySet: keySet(),
      ...state,
      addresses: store.apiban.count(),
      syncing,
      applied: store.apiban.applied(),
      schedule: settings.scheduleView(),
      dropped: sched.lastDrops,
      allowCount: store.apiban.allowList().length,
    };
  };

  async function applyTo(serverIds: readonly string[], method: ApibanMethod | undefined): Promise<ApibanApplied[]> {
    const busy = serverIds.filter((id) => applying.has(id));
    if (busy.length > 0)
      throw conflict(
        'serverIds',
        `The list is being applied to ${busy.length === 1 ? 'this server' : `${busy.length} of these servers`} right now; try again when it ends.`,
      );
    for (const id of serverIds) applying.add(id);
    try {
      expire();
      return await applyBans({
        store,
        exec: deps.exec,
        clock,
        book: deps.recipes(),
        serverIds: [...serverIds],
        method,
        ips: store.apiban.allIps(),
        protection: protection(),
      });
    } finally {
      for (const id of serverIds) applying.delete(id);
      changed();
    }
  }

  return {
    status,
    keySet,
    get syncing(): boolean {
      return syncing;
    },

    setKey(input: { key?: string | null | undefined; baseUrl?: string | undefined; httpHost?: string | null | undefined }): ApibanStatus {
      // Everything is checked before anything is kept: a refused URL leaves the key as it was too.
      let httpHost = store.apiban.schedule().httpHost;
      if (input.httpHost !== undefined) {
        if (input.httpHost === null || input.httpHost.trim() === '') httpHost = null;
        else {
          const parsed = parseHttpHost(input.httpHost);
          if ('error' in parsed) throw invalid('httpHost', `Allow plain http for: ${parsed.error}.`);
          httpHost = parsed.host;
        }
      }
      const baseText = input.baseUrl ?? store.apiban.state().baseUrl;
      const base = checkBaseUrl(baseText, httpHost);
      // A stored http URL whose allowance is being withdrawn is refused the same way, naming the URL field.
      if ('error' in base) throw invalid('baseUrl', `API base URL ${base.error}.`);
      store.transaction(() => {
        store.apiban.setHttpHost(httpHost);
        if (input.baseUrl !== undefined) store.apiban.setBaseUrl(base.url);
      });
      if (input.key === null) secrets.delete(APIBAN_KEY_SECRET);
      else if (input.key !== undefined) secrets.set(APIBAN_KEY_SECRET, input.key);
      changed();
      return status();
    },

    async sync(options: { signal?: AbortSignal } = {}): Promise<ApibanSyncResult> {
      if (syncing) throw conflict('sync', 'A sync is already running; its progress is shown on the APIBAN page.');
      const key = requireKey();
      syncing = true;
      try {
        const expired = expire();
        // What became protected since it was stored (a new server, an allow-list entry) goes first.
        settings.purgeProtected();
        return await runSync({
          store,
          client,
          clock,
          target: target(key),
          protection: protection(),
          expired,
          progress,
          sleep,
          backoff,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } finally {
        syncing = false;
        changed();
      }
    },

    async check(ipText: string) {
      const ip = canonicalIp(ipText);
      if (ip === null) throw invalid('ip', `"${ipText}" is not an IP address.`);
      const key = requireKey();
      const answer = await client.check(target(key), ip);
      if ('kind' in answer) {
        if (answer.kind === 'forbidden') throw keyRefused();
        if (answer.kind === 'rate-limited')
          throw new DomainError('conflict', 'APIBAN is rate-limiting this key (HTTP 429); try the check again in a minute.');
        if (answer.kind === 'insecure') throw invalid('baseUrl', answer.message);
        throw new DomainError('internal', answer.kind === 'unreachable' ? UNREACHABLE_MESSAGE : `${answer.message}.`);
      }
      expire();
      const local = store.apiban.get(ip);
      return {
        ip,
        banned: answer.banned,
        id: answer.banned ? answer.id : null,
        inLocalList: local !== null,
        lastSeen: local?.lastSeen ?? null,
      };
    },

    list(search: string, limit: number, offset: number) {
      expire();
      return store.apiban.page(search, limit, offset);
    },

    async apply(serverIds: string[], method: ApibanMethod | undefined) {
      return { results: await applyTo(serverIds, method) };
    },

    /** The schedule's own apply: every due server with its own method; busy ones wait for the next round. */
    async applyDue(): Promise<{ results: ApibanApplied[]; reasons: Map<string, string> }> {
      const due = settings.dueTargets().filter((t) => !applying.has(t.serverId));
      const results: ApibanApplied[] = [];
      for (const method of ['ipset', 'nftables'] as const) {
        const ids = due.filter((t) => t.method === method).map((t) => t.serverId);
        if (ids.length > 0) results.push(...(await applyTo(ids, method)));
      }
      return { results, reasons: new Map(due.map((t) => [t.serverId, t.reason])) };
    },

    /** When the scheduler should look again: the next sync or the next server due, whichever is first. */
    nextDueAt: settings.nextDueAt,
    setSchedule: (input: Parameters<typeof settings.setSchedule>[0]) => (settings.setSchedule(input), status()),
    allowList: settings.allowList,
    addAllowed: settings.addAllowed,
    removeAllowed: settings.removeAllowed,
  };
}

export type ApibanService = ReturnType<typeof createApibanService>;
