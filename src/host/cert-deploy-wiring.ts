import { currentRecipeBook } from '../services/actions/recipes';
import { createAcmeService, type AcmeService } from '../services/acme/acme-service';
import type { ServerExec } from '../services/ssh/server-exec';
import type { CertificateService } from '../services/certificates/certificate-service';
import { createCertDeployService, type CertDeployService } from '../services/certificates/deploy-service';
import type { fetchServedChain } from '../services/certificates/tls-probe';
import type { SecretStore } from '../services/secrets/secret-store';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import { DomainError } from '../domain/errors';
import type { BackgroundTask } from './background';
import type { EventBus } from './event-bus';
import { errorMessage } from '../domain/error-message';

// Certificates on the servers (install, check) and ACME, built for the composition root. Their
// unattended work — the daily check of what each server serves and ACME renewal 30 days before
// expiry — is one background task, so a snapshot view, read-only mode and shutdown stop it.

export interface CertDeployWiringDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  secrets: SecretStore;
  certificates: CertificateService;
  recipesFile: string;
  snapshotShown: () => boolean;
  log: (message: string) => void;
  /** How often the background looks for due checks and renewals (an hour). */
  upkeepMs?: number;
  handshake?: typeof fetchServedChain;
}

export const UPKEEP_MS = 3_600_000;

export function createCertDeployWiring(deps: CertDeployWiringDeps): {
  certDeploy: CertDeployService;
  acme: AcmeService;
  upkeep: BackgroundTask;
} {
  const recipes = () => currentRecipeBook(deps.recipesFile);
  const exec: ServerExec = (server, argv, options) =>
    deps.snapshotShown()
      ? Promise.reject(
          new DomainError(
            'conflict',
            'This console shows a snapshot: nothing is installed on or read from the servers. Return to the live fleet first.',
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
  const certDeploy = createCertDeployService({
    store: deps.store,
    secrets: deps.secrets,
    exec,
    recipes,
    clock: deps.clock,
    log: deps.log,
    progress: (event) => deps.bus.emit('certs:deploy-progress', event),
    changed: (serverId) => deps.bus.emit('certs:changed', { serverId }),
    ...(deps.handshake ? { handshake: deps.handshake } : {}),
  });
  const acme = createAcmeService({
    store: deps.store,
    secrets: deps.secrets,
    certificates: deps.certificates,
    deploy: certDeploy,
    exec,
    recipes,
    clock: deps.clock,
    log: deps.log,
    progress: (event) => deps.bus.emit('acme:progress', event),
    changed: () => deps.bus.emit('certs:changed', { serverId: null }),
  });

  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let pass: Promise<void> = Promise.resolve();
  const upkeep: BackgroundTask = {
    name: 'certificate checks and ACME renewal',
    start() {
      if (!stopped) return;
      stopped = false;
      const tick = (): void => {
        pass = acme
          .renewDue()
          .then(() => certDeploy.dailyPass(() => stopped))
          .catch((error: unknown) => deps.log(`[switchyard] certificate upkeep failed: ${errorMessage(error)}`))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, deps.upkeepMs ?? UPKEEP_MS);
          });
      };
      // Soon after start, not at once: the host's first seconds belong to the probes.
      timer = setTimeout(tick, 5_000);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await pass;
      await certDeploy.settle();
    },
  };
  return { certDeploy, acme, upkeep };
}
