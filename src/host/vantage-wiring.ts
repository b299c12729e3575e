import type { FleetEntity } from '../contract/events';
import type { Sample } from '../domain/monitoring/sample';
import type { Clock } from '../services/probes/clock';
import { sshTargetOf } from '../services/ssh/app-ssh';
import type { HostKeyPrompts } from '../services/ssh/host-key-prompts';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import { VantageService } from '../services/vantage/vantage-service';
import type { BackgroundTask } from './background';
import type { EventBus } from './event-bus';

// Vantage points for the composition root (app.ts): the service over the shared SSH pool (so host
// keys follow the rules actions follow: an unknown key waits for the operator, a changed one is
// refused), each stream's state pushed as `vantage:stream-changed`, and the streams run as
// background work, so a snapshot on show, read-only shutdown and close stop them in one place.

export interface VantageWiringDeps {
  store: Store;
  clock: Clock;
  bus: EventBus;
  sshPool: SshPool;
  prompts: HostKeyPrompts;
  log(message: string): void;
  observeSample?(sample: Sample): void;
  /** Reconnect delays (tests shorten them). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The fleet's change hook: vantage points follow dispatchers added, switches moved, RTP servers changed. */
  onFleetChanged?(listener: (entity: FleetEntity) => void): void;
}

export interface VantageWiring {
  vantage: VantageService;
  task: BackgroundTask;
}

export function createVantageWiring(deps: VantageWiringDeps): VantageWiring {
  const serverOf = (id: string) => {
    const server = deps.store.servers.get(id);
    if (server === null) throw new Error(`The vantage server ${id} is no longer in the fleet.`);
    return server;
  };
  const vantage = new VantageService({
    store: deps.store,
    clock: deps.clock,
    acquire: (id, signal) => deps.sshPool.acquire(sshTargetOf({ ...serverOf(id), status: 'unknown' }), signal),
    hostKeyWaiting: (id) => {
      const server = deps.store.servers.get(id);
      if (server === null) return null;
      // The address the pool dials unless ~/.ssh/config renames it; a prompt for that host is ours.
      const host = server.ssh.host ?? server.ip;
      const prompt = deps.prompts.pending().find((p) => p.host === host && p.port === server.ssh.port);
      return prompt
        ? `Waiting for you to confirm the host key of ${server.alias} (${prompt.host}:${prompt.port}, ${prompt.keyType} ${prompt.fingerprint}).`
        : null;
    },
    onStatus: (source) => deps.bus.emit('vantage:stream-changed', { source }),
    log: deps.log,
    ...(deps.observeSample ? { observeSample: deps.observeSample } : {}),
    ...(deps.backoff?.baseMs === undefined ? {} : { backoffBaseMs: deps.backoff.baseMs }),
    ...(deps.backoff?.maxMs === undefined ? {} : { backoffMaxMs: deps.backoff.maxMs }),
  });
  deps.onFleetChanged?.((entity) => {
    if (entity === 'servers' || entity === 'clusters' || entity === 'rtp' || entity === 'all') vantage.resync();
  });
  return {
    vantage,
    task: { name: 'vantage probes', start: () => vantage.start(), stop: () => vantage.stop() },
  };
}
