import type { ApibanSyncResult } from '../../contract/apiban-methods';
import {
  addDrops,
  describeDrops,
  filterBans,
  NO_DROPS,
  totalDrops,
  type DropCounts,
  type Protection,
} from '../../domain/apiban/ban-filter';
import { DomainError, invalid } from '../../domain/errors';
import type { Store } from '../store/store';
import { UNREACHABLE_MESSAGE, type ApibanClient, type ApibanTarget } from './apiban-client';

// One sync: pages from the stored ID until APIBAN says "no new bans". Each page is filtered before
// it is stored (malformed entries, non-global addresses, the fleet's own and the allow-list are
// dropped and counted), and saved atomically with the ID that follows it, so a rate limit, a
// failure or a restart resumes where it stopped and nothing is fetched twice.

export interface SyncProgress {
  state: 'fetching' | 'waiting' | 'done' | 'failed';
  pages: number;
  added: number;
  refreshed: number;
  nextId: string;
  message: string;
}

export interface SyncDeps {
  store: Store;
  client: ApibanClient;
  clock: () => number;
  target: ApibanTarget;
  protection: Protection;
  /** Addresses expired (not reported for 7 days) at the start of this sync. */
  expired: number;
  progress: (progress: SyncProgress) => void;
  sleep: (ms: number) => Promise<void>;
  backoff: { firstMs: number; maxMs: number; maxRetries: number };
  signal?: AbortSignal;
}

/** A runaway server (the same ID over and over) cannot keep a sync going forever. */
const MAX_PAGES = 20_000;
const SAMPLES = 5;

export const keyRefused = (): DomainError =>
  invalid('key', 'APIBAN refused the key (HTTP 403). Check it on apiban.org and enter it again.');

export async function runSync(deps: SyncDeps): Promise<ApibanSyncResult> {
  const { store, clock } = deps;
  let id = store.apiban.state().nextId;
  let pages = 0;
  let added = 0;
  let refreshed = 0;
  let retries = 0;
  let dropped: DropCounts = NO_DROPS;
  const samples: string[] = [];
  const report = (state: SyncProgress['state'], message: string) => deps.progress({ state, pages, added, refreshed, nextId: id, message });
  const finish = (outcome: ApibanSyncResult['outcome'], message: string): ApibanSyncResult => {
    const at = clock();
    const droppedText =
      totalDrops(dropped) === 0
        ? ''
        : ` Dropped before storing: ${describeDrops(dropped)}${samples.length > 0 ? ` (such as ${samples.join('; ')})` : ''}.`;
    const full = `${message}${droppedText}`;
    store.transaction(() => {
      store.apiban.setOutcome(at, outcome, full);
      store.apiban.setLastDrops({ at, ...dropped, samples });
    });
    report(outcome === 'complete' ? 'done' : 'failed', full);
    return { outcome, pages, added, refreshed, expired: deps.expired, nextId: id, message: full, dropped: { at, ...dropped, samples } };
  };

  /**
   * Cut short by the host (stopping, or a snapshot opened): the pages saved so far stay, and no
   * outcome is recorded — it was not APIBAN that failed, and the next start syncs at once.
   */
  const stopped = (): ApibanSyncResult => ({
    outcome: 'failed',
    pages,
    added,
    refreshed,
    expired: deps.expired,
    nextId: id,
    message: `Stopped before the end (the host is stopping or a snapshot was opened); the next sync resumes from ID ${id}.`,
    dropped: { at: clock(), ...dropped, samples },
  });

  while (pages < MAX_PAGES) {
    if (deps.signal?.aborted) return stopped();
    report('fetching', `Fetching the page from ID ${id}…`);
    const answer = await deps.client.banned(deps.target, id, deps.signal);
    if (deps.signal?.aborted) return stopped();
    switch (answer.kind) {
      case 'end':
        return finish(
          'complete',
          `Up to date: ${added} new and ${refreshed} seen again over ${pages} page${pages === 1 ? '' : 's'}. The next sync resumes from ID ${id}.`,
        );
      case 'forbidden':
        finish('failed', 'APIBAN refused the key (HTTP 403).');
        throw keyRefused();
      case 'insecure':
        finish('failed', answer.message);
        throw new DomainError('invalid-input', answer.message, { field: 'baseUrl' });
      case 'unreachable':
        return finish('failed', `${UNREACHABLE_MESSAGE} Nothing fetched so far is lost; the next sync resumes from ID ${id}.`);
      case 'unreadable':
        return finish('failed', `${answer.message}. Nothing fetched so far is lost; the next sync resumes from ID ${id}.`);
      case 'rate-limited': {
        retries++;
        if (retries > deps.backoff.maxRetries) {
          return finish(
            'rate-limited',
            `APIBAN is rate-limiting this key (HTTP 429). ${added} new addresses were kept; the next sync resumes from ID ${id}.`,
          );
        }
        const wait = Math.min(deps.backoff.maxMs, answer.retryAfterMs ?? deps.backoff.firstMs * 2 ** (retries - 1));
        report('waiting', `Rate limited by APIBAN (HTTP 429): waiting ${Math.ceil(wait / 1000)} s, then resuming from ID ${id}.`);
        await Promise.race([deps.sleep(wait), aborted(deps.signal)]);
        continue;
      }
      case 'page': {
        retries = 0;
        const { kept, dropped: here } = filterBans(answer.ips, deps.protection);
        dropped = addDrops(dropped, { ...here, malformed: answer.rejected });
        for (const s of answer.rejectedSamples) if (samples.length < SAMPLES) samples.push(`${s} on the page from ID ${id}`);
        const isNew = store.apiban.savePage(kept, clock(), answer.nextId);
        added += isNew;
        refreshed += kept.length - isNew;
        pages++;
        if (answer.nextId === id)
          return finish('complete', `APIBAN returned the same ID ${id} again; stopped here. ${added} new addresses.`);
        id = answer.nextId;
      }
    }
  }
  return finish('failed', `Stopped after ${MAX_PAGES} pages; the next sync resumes from ID ${id}.`);
}

/** Resolves when the signal aborts (never without one), so a back-off wait ends with the host. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
