import type { ApibanAllowEntry, ApibanSchedule, ApibanTarget } from '../../contract/apiban-methods';
import { parseAllowEntry, type Protection } from '../../domain/apiban/ban-filter';
import { applyReason, entryTimeoutOf, nextApplyAt, nextSyncAt, type ApplyReason, type LastApply } from '../../domain/apiban/schedule';
import { invalid } from '../../domain/errors';
import type { RecipeBook } from '../../domain/ssh/recipe';
import type { Store } from '../store/store';

// The schedule's settings and the allow-list, and the questions the scheduler asks of them: when
// the next sync is due, which servers need the list now and why.

export interface ApibanSettingsDeps {
  store: Store;
  clock: () => number;
  keySet: () => boolean;
  recipes: () => RecipeBook;
  protection: () => Protection;
  scheduleRunning: () => boolean;
  changed: () => void;
}

export interface DueTarget extends ApibanTarget {
  reason: ApplyReason;
}

export function createApibanSettings(deps: ApibanSettingsDeps) {
  const { store, clock } = deps;

  const lastApplies = (): Map<string, LastApply> => new Map(store.apiban.applied().map((a) => [a.serverId, a]));
  /** The scheduled servers with what applyReason says of each; nothing before the first sync. */
  const assess = (now: number) => {
    // The recipe book (the override file when there is one) is read once per look; a broken one
    // is reported by the apply itself, and the status still shows (with 7-day timeouts assumed).
    let book: RecipeBook | null = null;
    try {
      book = deps.recipes();
    } catch {
      book = null;
    }
    const entryTimeoutSec = (method: 'ipset' | 'nftables'): number => entryTimeoutOf(book?.apiban?.[method].defaults ?? {});
    const sched = store.apiban.schedule();
    const synced = store.apiban.state().lastSyncAt !== null;
    const last = lastApplies();
    return store.apiban.targets().map((t) => {
      const input = {
        last: last.get(t.serverId) ?? null,
        now,
        entryTimeoutSec: entryTimeoutSec(t.method),
        retryAfterMs: sched.intervalSec * 1000,
      };
      const reason = sched.enabled && synced ? applyReason({ ...input, method: t.method, listChangedAt: sched.listChangedAt }) : null;
      return { serverId: t.serverId, method: t.method, reason, nextApplyAt: nextApplyAt(input) };
    });
  };

  const nextSync = (now: number): number | null => nextSyncAt(store.apiban.schedule(), deps.keySet(), store.apiban.state().lastSyncAt, now);

  /** Removes stored addresses that are protected now; returns how many. */
  const purgeProtected = (): number => {
    const protection = deps.protection();
    const protectedNow = store.apiban.allIps().filter((ip) => protection.reasonFor(ip) !== null);
    return protectedNow.length === 0 ? 0 : store.apiban.removeAddresses(protectedNow, clock());
  };

  return {
    purgeProtected,

    scheduleView(): ApibanSchedule {
      const now = clock();
      const sched = store.apiban.schedule();
      return {
        enabled: sched.enabled,
        intervalSec: sched.intervalSec,
        nextSyncAt: nextSync(now),
        running: deps.scheduleRunning(),
        httpHost: sched.httpHost,
        listChangedAt: sched.listChangedAt,
        targets: assess(now).map((t) => ({ serverId: t.serverId, method: t.method, nextApplyAt: t.nextApplyAt, due: t.reason })),
      };
    },

    dueTargets(): DueTarget[] {
      return assess(clock()).flatMap((t) => (t.reason === null ? [] : [{ serverId: t.serverId, method: t.method, reason: t.reason }]));
    },

    /** The earliest time anything is due (a sync or a server), or null when nothing ever will be. */
    nextDueAt(): number | null {
      const now = clock();
      const sched = store.apiban.schedule();
      if (!sched.enabled) return null;
      const servers = store.apiban.state().lastSyncAt === null ? [] : assess(now);
      // A list change makes a server due at once; its last apply alone does not say so.
      const times = [nextSync(now), ...servers.map((t) => (t.reason === null ? t.nextApplyAt : now))];
      const known = times.filter((t): t is number => t !== null);
      return known.length === 0 ? null : Math.min(...known);
    },

    setSchedule(input: {
      enabled?: boolean | undefined;
      intervalSec?: number | undefined;
      targets?: readonly ApibanTarget[] | undefined;
    }): void {
      if (input.targets !== undefined) {
        const seen = new Set<string>();
        input.targets.forEach((t, i) => {
          if (store.servers.get(t.serverId) === null)
            throw invalid(`targets.${i}.serverId`, `Server ${t.serverId} does not exist (it may have been deleted); reload the page.`);
          if (seen.has(t.serverId))
            throw invalid(`targets.${i}.serverId`, `Server ${t.serverId} is listed twice; choose one method for it.`);
          seen.add(t.serverId);
        });
      }
      store.transaction(() => {
        store.apiban.setSchedule({ enabled: input.enabled, intervalSec: input.intervalSec });
        if (input.targets !== undefined) store.apiban.setTargets(input.targets, clock());
      });
      deps.changed();
    },

    allowList(): ApibanAllowEntry[] {
      return store.apiban.allowList();
    },

    /** Adds an address or block; the stored addresses it covers are removed at once (and from the servers at the next apply). */
    addAllowed(text: string, note: string): { entry: ApibanAllowEntry; removed: number } {
      const parsed = parseAllowEntry(text);
      if ('error' in parsed) throw invalid('entry', `Allow-list entry ${parsed.error}.`);
      const at = clock();
      const removed = store.transaction(() => {
        store.apiban.addAllow(parsed.entry, note, at);
        return purgeProtected();
      });
      deps.changed();
      const entry = store.apiban.allowList().find((a) => a.entry === parsed.entry) ?? { entry: parsed.entry, note, addedAt: at };
      return { entry, removed };
    },

    removeAllowed(text: string): { removed: boolean } {
      const parsed = parseAllowEntry(text);
      if ('error' in parsed) throw invalid('entry', `Allow-list entry ${parsed.error}.`);
      if (!store.apiban.removeAllow(parsed.entry)) throw invalid('entry', `${parsed.entry} is not on the allow-list.`);
      deps.changed();
      return { removed: true };
    },
  };
}
