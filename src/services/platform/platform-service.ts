import type { Settings } from '../../contract/app';
import type { FleetChange } from '../../contract/platform-methods';
import { advise, type AdvisorCertificate, type AdvisorFleet, type Finding } from '../../domain/advisor';
import { deployBalance, type BalanceCheck } from '../../domain/platform/deploy-balance';
import { failoverPaths, type ActiveChannels } from '../../domain/platform/failover';
import { keepaliveOverhead, type KeepaliveReport } from '../../domain/platform/keepalive';
import { calculate, effectiveLimits, type Allowance, type Calculation, type LimitsReport } from '../../domain/platform/limits';
import type { Store } from '../store/store';

// Reads the fleet from the store and hands it to the platform rules. Everything here is a read:
// the calculator works on a copy, the advisor only reports.

export interface PlatformDeps {
  store: Store;
  clock: () => number;
  settings: () => Settings;
}

/** A load reading older than this says nothing about whether a server is full now. */
export const LOAD_FRESH_MS = 5 * 60_000;

export function createPlatformService({ store, clock, settings }: PlatformDeps) {
  const fleet = (): AdvisorFleet => ({ servers: store.servers.list(), clusters: store.clusters.list(), certificates: certificates() });

  const certificates = (): AdvisorCertificate[] =>
    store.certificates.list().map((c) => ({
      id: c.id,
      name: c.name,
      notAfter: c.notAfter,
      sans: [...c.sans.dns, ...c.sans.ip],
      serverIds: store.certificates.assignmentsOfCertificate(c.id).map((a) => a.serverId),
    }));

  /** Latest active channels per server from the load polls; null when none is recent. */
  const activeChannels = (): Map<string, number | null> => {
    const now = clock();
    const map = new Map<string, number | null>();
    for (const s of store.servers.list()) {
      const readings = store.serverLoad.range(s.id, now - LOAD_FRESH_MS, now);
      map.set(s.id, readings.at(-1)?.channels ?? null);
    }
    return map;
  };

  return {
    limits: (allowance: Allowance): LimitsReport => effectiveLimits(fleet(), allowance, clock()),
    calculate: (allowance: Allowance, changes: FleetChange[]): Calculation => calculate(fleet(), changes, allowance, clock()),
    failover() {
      const active: ActiveChannels = activeChannels();
      const f = fleet();
      const byId = new Map(f.servers.map((s) => [s.id, s]));
      return failoverPaths(f, active).map((p) => {
        const target = byId.get(p.server.id)?.config.capacityFailover;
        const targetActive = target?.enabled && target.targetId !== null ? (active.get(target.targetId) ?? null) : null;
        return { ...p, targetActive };
      });
    },
    keepalive: (registrationsPerServer: number, intervalSec: number): KeepaliveReport =>
      keepaliveOverhead(fleet(), { defaultRegistrations: registrationsPerServer, intervalSec }),
    advise: (): Finding[] => advise(fleet(), clock(), settings()),
    deployCheck: (): BalanceCheck => deployBalance(settings().availableBalanceCents, store.servers.list().length),
  };
}

export type PlatformService = ReturnType<typeof createPlatformService>;
