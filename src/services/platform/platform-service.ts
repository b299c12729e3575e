import type { Settings } from '../../contract/app';
import type { FleetChange, KeepaliveReport as KeepaliveView } from '../../contract/platform-methods';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { READING_FRESH_MS } from '../../domain/calls/freshness';
import { ourProbeOf, type OurProbe } from '../../domain/dispatcher/compare';
import { advise, type AdvisorCertificate, type AdvisorFleet, type Finding } from '../../domain/advisor';
import { deployBalance, type BalanceCheck } from '../../domain/platform/deploy-balance';
import { withActiveChannels } from '../../domain/platform/pending-resize';
import type { PendingResize as PendingResizeView } from '../../contract/action-settings-methods';
import { failoverPaths, type KnownLoad } from '../../domain/platform/failover';
import { keepaliveOverhead } from '../../domain/platform/keepalive';
import { calculate, effectiveLimits, type Allowance, type Calculation, type LimitsReport } from '../../domain/platform/limits';
import type { Store } from '../store/store';
import type { StoredServer } from '../store/servers-repo';
import { DomainError } from '../../domain/errors';
import { readRegistrationCounts, type CountReading } from './registration-counts';
import { mediaChoices } from '../media/media-choices';

// Reads the fleet from the store and hands it to the platform rules. Everything here is a read:
// the calculator works on a copy, the advisor only reports. Registration counts are read over SSH
// only when the operator asks, and kept (failures too) until the next time they ask.

export interface PlatformDeps {
  store: Store;
  clock: () => number;
  settings: () => Settings;
  /** Registered contacts on one server, read over SSH now (the registrations service). */
  registrationCount: (serverId: string) => Promise<number>;
  /** Servers whose count has been read (or failed) so far, while the operator's read runs. */
  onCountProgress?: (done: number, total: number) => void;
  /** True while a snapshot is shown: its servers are history, so nothing is read from them. */
  snapshotShown?: () => boolean;
  /** Switchyard's own probes of these servers now (monitoring's latest), for the dispatcher check. */
  probes?: (serverIds: readonly string[]) => readonly LatestSummary[];
}

/** A load reading older than this says nothing about whether a server is full now. */
export const LOAD_FRESH_MS = READING_FRESH_MS;

export function createPlatformService({ store, clock, settings, registrationCount, onCountProgress, snapshotShown, probes }: PlatformDeps) {
  /** The last read of each live server's registrations; a snapshot holds none. */
  const readings = new Map<string, CountReading>();
  let reading: Promise<void> | null = null;

  // A resize is active 15 minutes after it ran: until then every rule counts the previous channels.
  // Each call reads the servers once and hands them to whatever else it reads per server; only the
  // advisor reads the certificates.
  const fleet = (servers: readonly StoredServer[] = store.servers.list()): AdvisorFleet => {
    const now = clock();
    const resizes = store.serverActions.pendingResizes(now);
    return {
      servers: withActiveChannels(servers, resizes, now),
      clusters: store.clusters.list(),
      resizes,
    };
  };
  /** The pending resizes, named, shown beside the limits they do not count yet. */
  const pendingResizes = (): PendingResizeView[] =>
    store.serverActions.pendingResizes(clock()).flatMap((r) => {
      const s = store.servers.get(r.serverId);
      return s ? [{ ...r, alias: s.alias, ip: s.ip }] : [];
    });

  const certificates = (): AdvisorCertificate[] =>
    store.certificates.list().map((c) => ({
      id: c.id,
      name: c.name,
      notAfter: c.notAfter,
      sans: [...c.sans.dns, ...c.sans.ip],
      serverIds: store.certificates.assignmentsOfCertificate(c.id).map((a) => a.serverId),
    }));

  /**
   * Channels in use and calls per second per server, as the last recent load poll measured them
   * from Kamailio's dialog statistics (null when none is recent, or the poll could not tell).
   */
  const loads = (servers: readonly StoredServer[]): Map<string, KnownLoad> => {
    const now = clock();
    const map = new Map<string, KnownLoad>();
    for (const s of servers) {
      const latest = store.serverLoad.latest(s.id, now - LOAD_FRESH_MS, now);
      map.set(s.id, { channels: latest?.channels ?? null, cps: latest?.cps ?? null });
    }
    return map;
  };

  /** Switchyard's probes of every server now; none when this host cannot tell. */
  const probeMap = (servers: readonly StoredServer[]): Map<string, OurProbe> =>
    new Map((probes?.(servers.map((s) => s.id)) ?? []).map((p) => [p.serverId, ourProbeOf(p)]));

  async function readAll(ids: string[]): Promise<void> {
    const { counts, unread } = await readRegistrationCounts(ids, registrationCount, onCountProgress);
    const at = clock();
    for (const id of ids) readings.set(id, { at, count: counts.get(id) ?? null, unread: unread.get(id) ?? null });
  }

  return {
    limits: (allowance: Allowance): LimitsReport & { pendingResizes: PendingResizeView[] } => ({
      ...effectiveLimits(fleet(), allowance, clock()),
      pendingResizes: pendingResizes(),
    }),
    calculate: (allowance: Allowance, changes: FleetChange[]): Calculation => calculate(fleet(), changes, allowance, clock()),
    failover() {
      const servers = store.servers.list();
      const known = loads(servers);
      const f = fleet(servers);
      const byId = new Map(f.servers.map((s) => [s.id, s]));
      return failoverPaths(f, known).map((p) => {
        const target = byId.get(p.server.id)?.config.capacityFailover;
        const targetLoad = target?.enabled && target.targetId !== null ? known.get(target.targetId) : undefined;
        return { ...p, targetActive: targetLoad?.channels ?? null, targetCps: targetLoad?.cps ?? null };
      });
    },
    /**
     * The keepalive overhead from the counts last read; `refresh` reads every server again first
     * (the operator asked). `fallbackRegistrations` stands in where no count was read.
     */
    async keepalive(fallbackRegistrations: number, intervalSec: number, refresh = false): Promise<KeepaliveView> {
      const onSnapshot = snapshotShown?.() === true;
      if (refresh && onSnapshot) {
        throw new DomainError(
          'conflict',
          'This console shows a snapshot, which holds no registrations: return to the live fleet to read them over SSH.',
          { field: 'refresh' },
        );
      }
      if (refresh) {
        // A second press while a read runs waits for that read instead of starting another.
        reading ??= readAll(store.servers.list().map((s) => s.id)).finally(() => (reading = null));
        await reading;
      }
      const f = fleet();
      const known = onSnapshot ? new Map<string, CountReading>() : readings;
      const counts = new Map<string, number>();
      for (const [id, r] of known) if (r.count !== null) counts.set(id, r.count);
      const report = keepaliveOverhead(f, { registrations: counts, defaultRegistrations: fallbackRegistrations, intervalSec });
      return {
        ...report,
        servers: report.servers.map((k) => ({
          ...k,
          unread: known.get(k.server.id)?.unread ?? null,
          readAt: known.get(k.server.id)?.at ?? null,
        })),
      };
    },
    advise(): Finding[] {
      const servers = store.servers.list();
      return advise(
        {
          ...fleet(servers),
          certificates: certificates(),
          loads: loads(servers),
          dispatcherViews: store.dispatcherViews.all(),
          probes: probeMap(servers),
          media: mediaChoices(store),
          uac: store.uac.allStatus(),
        },
        clock(),
        settings(),
      );
    },
    deployCheck: (): BalanceCheck => deployBalance(settings().availableBalanceCents, store.servers.list().length),
  };
}

export type PlatformService = ReturnType<typeof createPlatformService>;
