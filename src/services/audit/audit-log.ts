// The store-backed audit log: who did what, when and from where. Lines are written to the live
// fleet's database (never to a snapshot on show, which is read-only) and read from the store the
// console shows, so a snapshot opened for an incident review shows the log as it was then.
//
// Retention: a line is kept for AUDIT_RETENTION.days (400: a year and a month, for a yearly
// review) and the log holds at most AUDIT_RETENTION.maxEntries lines (200,000, about 40 MB),
// whichever bound is reached first; older lines are dropped at start and every 1,000 lines.
import type { AuditEntry, AuditQuery, AuditRetention } from '../../contract/audit-methods';
import { errorMessage } from '../../domain/error-message';
import type { Store } from '../store/store';
import { formatAuditCsv, formatAuditJson } from './audit-export';
import type { AuditEntryInput, AuditLog } from './audit-types';

export const AUDIT_RETENTION: AuditRetention = Object.freeze({ days: 400, maxEntries: 200_000 });

const DAY_MS = 86_400_000;
const PRUNE_EVERY = 1000;

export interface AuditLogDeps {
  /** Where lines are written: the live fleet's store; null on a host started on a snapshot file. */
  liveStore: Store | null;
  /** What the console shows now (the live fleet or the open snapshot): where lines are read. */
  store: Store;
  /** The wall clock (never a snapshot's "now"). */
  clock: () => number;
  /** Each line as written, for every open console. */
  emit?: (entry: AuditEntry) => void;
  /** Where a line that could not be stored goes, so it is not lost silently. */
  log: (message: string) => void;
  retention?: AuditRetention;
}

export interface AuditService extends AuditLog {
  list(filter: AuditQuery): { entries: AuditEntry[]; total: number; kinds: string[]; retention: AuditRetention };
  export(format: 'json' | 'csv', filter: AuditQuery): { text: string; fileName: string };
  /** Drops what the retention no longer keeps; returns how many lines went. */
  prune(): number;
}

export function createAuditLog(deps: AuditLogDeps): AuditService {
  const retention = deps.retention ?? AUDIT_RETENTION;
  let sincePrune = 0;

  const prune = (): number => {
    if (deps.liveStore === null) return 0;
    try {
      return deps.liveStore.audit.prune(deps.clock() - retention.days * DAY_MS, retention.maxEntries);
    } catch (error) {
      deps.log(`[switchyard] audit log: could not drop old lines: ${errorMessage(error)}`);
      return 0;
    }
  };

  const list = (filter: AuditQuery) => {
    const { entries, total } = deps.store.audit.search(filter);
    return { entries, total, kinds: deps.store.audit.kinds(), retention };
  };

  prune();

  return {
    record(entry: AuditEntryInput): void {
      const line = {
        at: entry.at ?? deps.clock(),
        kind: entry.kind,
        account: entry.account,
        address: entry.address ?? null,
        detail: entry.detail,
      };
      if (deps.liveStore === null) {
        // A host started on a snapshot file has no database of its own to write to.
        deps.log(
          `[switchyard] audit: ${new Date(line.at).toISOString()} ${line.kind} ${line.account}${line.address ? ` from ${line.address}` : ''}: ${line.detail}`,
        );
        return;
      }
      try {
        const id = deps.liveStore.audit.add(line);
        deps.emit?.({ id, ...line });
      } catch (error) {
        // The thing it describes has happened; failing it now would not undo it. Told, not lost.
        deps.log(`[switchyard] audit log: could not store "${line.kind} by ${line.account}: ${line.detail}": ${errorMessage(error)}`);
        return;
      }
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        prune();
      }
    },
    list,
    export(format, filter) {
      const { entries } = list(filter);
      const stamp = new Date(deps.clock()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
      return format === 'json'
        ? { text: formatAuditJson(entries), fileName: `switchyard-audit-${stamp}.json` }
        : { text: formatAuditCsv(entries), fileName: `switchyard-audit-${stamp}.csv` };
    },
    prune,
  };
}
