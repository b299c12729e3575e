import { createApibanClient } from '../services/apiban/apiban-client';
import { createApibanService, type ApibanService } from '../services/apiban/apiban-service';
import { ApibanScheduler, type ScheduleRun } from '../services/apiban/apiban-scheduler';
import type { ServerExec } from '../services/ssh/server-exec';
import { currentRecipeBook } from '../services/actions/recipes';
import { createCertificateService, type CertificateService } from '../services/certificates/certificate-service';
import { createRegistrationsService, type RegistrationsService } from '../services/registrations/registrations-service';
import type { SecretStore } from '../services/secrets/secret-store';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import { DomainError } from '../domain/errors';
import type { EventBus } from './event-bus';

// Certificates, APIBAN and registrations, built for the composition root (app.ts). The two that
// act on servers go through the host's one pool of verified SSH connections and read the recipe
// book (the override file when present) at each use.

export interface CertificatesApibanRegistrationsDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  secrets: SecretStore;
  recipesFile: string;
  /** True while a snapshot is shown: its servers are history, so nothing is read from them over SSH. */
  snapshotShown?: () => boolean;
  /** The host's log (why APIBAN was unreachable, a scheduled run that failed). */
  log?: (message: string) => void;
  /** A scheduled APIBAN sync or apply ended (the host re-checks the APIBAN alert). */
  onApibanRun?: (run: ScheduleRun) => void;
  schedulerTiming?: { maxWaitMs?: number; minWaitMs?: number };
}

export function createCertificatesApibanRegistrationsWiring(deps: CertificatesApibanRegistrationsDeps): {
  certificates: CertificateService;
  apiban: ApibanService;
  /** Syncs and applies APIBAN on its own; the host adds it to its background set. */
  apibanScheduler: ApibanScheduler;
  registrations: RegistrationsService;
} {
  const recipes = () => currentRecipeBook(deps.recipesFile);
  const exec: ServerExec = (server, argv, options) =>
    deps.snapshotShown?.() === true
      ? Promise.reject(
          new DomainError(
            'conflict',
            'This console shows a snapshot, which holds no registrations or anything else read from the servers over SSH. Return to the live fleet to read them.',
          ),
        )
      : deps.sshPool.exec(
          {
            id: server.id,
            host: server.ssh.host ?? server.ip,
            port: server.ssh.port,
            user: server.ssh.user,
            auth: server.ssh.auth,
            keyPath: server.ssh.keyPath,
            jumpHost: server.ssh.jumpHost,
          },
          argv,
          options,
        );
  const log = deps.log ?? (() => {});
  const apiban = createApibanService({
    store: deps.store,
    secrets: deps.secrets,
    client: createApibanClient({ log }),
    clock: deps.clock,
    recipes,
    exec,
    onProgress: (progress) => deps.bus.emit('apiban:sync-progress', progress),
    onChanged: () => {
      deps.bus.emit('apiban:changed', {});
      apibanScheduler.poke();
    },
    scheduleRunning: () => apibanScheduler.running,
  });
  const apibanScheduler = new ApibanScheduler({
    service: apiban,
    clock: deps.clock,
    log,
    ...deps.schedulerTiming,
    onRun: (run) => {
      deps.bus.emit('apiban:schedule-run', run);
      deps.onApibanRun?.(run);
    },
  });
  return {
    apibanScheduler,
    certificates: createCertificateService({
      store: deps.store,
      secrets: deps.secrets,
      clock: deps.clock,
      emit: () => deps.bus.emit('certs:changed', { serverId: null }),
    }),
    apiban,
    registrations: createRegistrationsService({ store: deps.store, exec, recipes, clock: deps.clock }),
  };
}
