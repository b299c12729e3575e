import { X509Certificate } from 'node:crypto';
import type { CertInstall, DeployProgress, DomainCheck, ServerDeploy } from '../../contract/cert-deploy-methods';
import { invalid, notFound } from '../../domain/errors';
import { defaultServerCertificate } from '../../domain/certificates/tls-config';
import { judgeServed, type ExpectedCert } from '../../domain/certificates/served-check';
import { canonicalIp } from '../../domain/fleet/ip';
import type { RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { certificateKeySecret } from './certificate-service';
import { installCertificates, type InstallEntry } from './install';
import { fetchServedChain, servedCert } from './tls-probe';
import { errorMessage } from '../../domain/error-message';

// Installing a server's assigned certificates and checking from outside what it serves, one job per
// server at a time. Assigning starts an install (then a check) in the background; the console
// follows it through progress events. A daily pass re-checks every server, so drift (someone
// edited tls.cfg, a stale install, an expired chain) shows as a finding and, through the alert
// rule "Certificate served wrong", pages someone.

export interface CertDeployDeps {
  store: Store;
  secrets: SecretStore;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
  progress?: (event: DeployProgress) => void;
  /** A server's install or check results changed. */
  changed?: (serverId: string) => void;
  /** The TLS handshake (tests may aim it elsewhere); the real one by default. */
  handshake?: typeof fetchServedChain;
  log?: (message: string) => void;
}

/** A server's served certificates are checked again when its last check is this old. */
export const CHECK_EVERY_MS = 86_400_000;

const isIp = (domain: string): boolean => canonicalIp(domain.replace(/^\[(.*)\]$/, '$1')) !== null;

function chainOf(pem: string): X509Certificate[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
}

function expectedOf(name: string, chainPem: string): ExpectedCert {
  const chain = chainOf(chainPem);
  const leaf = chain[0];
  // What the server must send besides the leaf: the intermediates, never a self-signed root.
  const intermediates = chain
    .slice(1)
    .filter((c) => !(c.subject === c.issuer && c.checkIssued(c)))
    .map(servedCert);
  return { name, fingerprint256: leaf?.fingerprint256 ?? '', intermediates };
}

export function createCertDeployService(deps: CertDeployDeps) {
  const { store, secrets, clock } = deps;
  const handshake = deps.handshake ?? fetchServedChain;
  const running = new Map<string, Promise<ServerDeploy>>();

  const requireServer = (id: string): StoredServer => {
    const server = store.servers.get(id);
    if (!server) throw notFound('Server', id);
    return server;
  };
  const status = (serverId: string): ServerDeploy => ({
    serverId,
    install: store.certDeploy.install(serverId),
    checks: store.certDeploy.checks(serverId),
    running: running.has(serverId),
  });
  const emit = (serverId: string, phase: DeployProgress['phase'], step: string, message: string, done = false, ok = true): void =>
    deps.progress?.({ serverId, phase, step, message, done, ok, at: clock() });

  /** Everything assigned to the server, with its chain and key; refuses before touching the server. */
  function entriesOf(server: StoredServer): InstallEntry[] {
    return store.certificates.assignmentsOfServer(server.id).map((a) => {
      const cert = store.certificates.get(a.certificateId);
      if (!cert) throw notFound('Certificate', a.certificateId);
      const keyPem = secrets.get(certificateKeySecret(cert.id));
      if (keyPem === null) {
        throw invalid(
          'certificateId',
          `The private key of ${cert.name} is not in this console's secret store (it was imported without one, or the store forgot it on a restart): import it again with its key. Nothing was installed on ${server.alias}.`,
        );
      }
      return {
        certificateId: cert.id,
        name: cert.name,
        type: a.type,
        domains: a.domains,
        sans: cert.sans,
        chainPem: cert.chainPem,
        keyPem,
      };
    });
  }

  async function runInstall(server: StoredServer): Promise<CertInstall> {
    const startedAt = clock();
    const save = (r: Omit<CertInstall, 'serverId' | 'startedAt' | 'finishedAt'>, finished: boolean): CertInstall => {
      const record: CertInstall = { serverId: server.id, ...r, startedAt, finishedAt: finished ? clock() : null };
      store.certDeploy.saveInstall(record);
      deps.changed?.(server.id);
      return record;
    };
    save(
      { state: 'running', step: 'Preparing', message: 'Reading the assigned certificates and their keys.', notes: [], tlsConfig: null },
      false,
    );
    emit(server.id, 'install', 'Preparing', `Installing certificates on ${server.alias}`);
    let entries: InstallEntry[];
    const recipe = deps.recipes().certificates;
    try {
      if (!recipe)
        throw invalid(
          'recipes.certificates',
          'The recipe book has no "certificates" entry, so Switchyard does not know where Kamailio reads its TLS files.',
        );
      entries = entriesOf(server);
      if (entries.length === 0) {
        throw invalid(
          'certificateId',
          `No certificate is assigned to ${server.alias} any more: its TLS configuration was left as it was (Kamailio needs a default certificate).`,
        );
      }
    } catch (err) {
      const message = errorMessage(err);
      emit(server.id, 'install', 'Preparing', message, true, false);
      return save({ state: 'failed', step: 'Preparing', message, notes: [], tlsConfig: null }, true);
    }
    const result = await installCertificates({
      server,
      entries,
      recipe,
      exec: deps.exec,
      progress: (step) => {
        save({ state: 'running', step, message: `${step} on ${server.alias}`, notes: [], tlsConfig: null }, false);
        emit(server.id, 'install', step, `${step} on ${server.alias}`);
      },
    });
    emit(server.id, 'install', result.step, result.message, true, result.state === 'installed');
    return save(result, true);
  }

  async function runCheck(server: StoredServer): Promise<DomainCheck[]> {
    const assignments = store.certificates.assignmentsOfServer(server.id).filter((a) => a.type === 'server');
    const certs = new Map(assignments.map((a) => [a.certificateId, store.certificates.get(a.certificateId)]));
    const entries = assignments.flatMap((a) => {
      const cert = certs.get(a.certificateId);
      return cert ? [{ assignment: a, cert }] : [];
    });
    const fallback = defaultServerCertificate(
      entries.map(({ assignment, cert }) => ({
        certificateId: cert.id,
        name: cert.name,
        type: 'server' as const,
        domains: assignment.domains,
        sans: cert.sans,
        chainFile: '',
        keyFile: '',
      })),
      server.config.fqdn,
    );
    const targets: { domain: string | null; sni: string | null; certId: string }[] = [];
    if (fallback) targets.push({ domain: null, sni: null, certId: fallback.certificateId });
    for (const { assignment, cert } of entries) {
      for (const domain of assignment.domains) {
        if (isIp(domain)) continue;
        // A wildcard profile answers any one subdomain: ask for one that stands for them all.
        targets.push({ domain, sni: domain.startsWith('*.') ? `switchyard-check.${domain.slice(2)}` : domain, certId: cert.id });
      }
    }
    const port = server.config.ports.tls;
    const checks: DomainCheck[] = [];
    for (const target of targets) {
      const cert = certs.get(target.certId);
      if (!cert) continue;
      const label = target.domain ?? 'no SNI name';
      emit(server.id, 'check', label, `TLS handshake with ${server.alias} for ${label}`);
      const expected = expectedOf(cert.name, cert.chainPem);
      const served = await handshake(server.ip, port, target.sni);
      const where = `${server.alias} (${server.ip}:${port}) ${target.domain === null ? 'with no SNI name' : `for ${target.domain}`}`;
      const verdict = judgeServed(where, expected, served, clock());
      const leaf = Array.isArray(served) ? served[0] : undefined;
      checks.push({
        serverId: server.id,
        domain: target.domain,
        certificateId: cert.id,
        expectedName: cert.name,
        expectedFingerprint: expected.fingerprint256,
        servedFingerprint: leaf?.fingerprint256 ?? null,
        servedSubject: leaf?.subject ?? null,
        outcome: verdict.outcome,
        message: verdict.message,
        checkedAt: clock(),
      });
    }
    store.certDeploy.replaceChecks(server.id, checks);
    const bad = checks.filter((c) => c.outcome !== 'ok').length;
    emit(
      server.id,
      'check',
      'Done',
      checks.length === 0
        ? `No Server certificate to check on ${server.alias}.`
        : `${checks.length - bad} of ${checks.length} served as assigned on ${server.alias}.`,
      true,
      bad === 0,
    );
    deps.changed?.(server.id);
    return checks;
  }

  /** One job per server: a second request while one runs waits for it, then runs its own. */
  function job(serverId: string, work: (server: StoredServer) => Promise<unknown>): Promise<ServerDeploy> {
    const server = requireServer(serverId);
    const before = running.get(serverId) ?? Promise.resolve(null);
    const next = before
      .catch(() => null)
      .then(() => work(requireServer(server.id)))
      .then(() => status(serverId))
      .finally(() => {
        if (running.get(serverId) === next) running.delete(serverId);
        deps.changed?.(serverId);
      });
    running.set(serverId, next);
    return next;
  }

  const installAndCheck = (serverId: string): Promise<ServerDeploy> =>
    job(serverId, async (server) => {
      const install = await runInstall(server);
      // A refused or failed install leaves the old files: the check then says what is served.
      if (install.state !== 'failed' || store.certDeploy.checks(server.id).length > 0) await runCheck(server);
    });

  /** Checks every server whose last check is a day old; `stopped` ends the pass early. */
  async function dailyPass(stopped: () => boolean = () => false): Promise<void> {
    const now = clock();
    for (const serverId of store.certDeploy.serverIds()) {
      if (stopped()) return;
      const server = store.servers.get(serverId);
      if (!server || store.certificates.assignmentsOfServer(serverId).length === 0 || running.has(serverId)) continue;
      const last = store.certDeploy.checks(serverId).reduce((max, c) => Math.max(max, c.checkedAt), 0);
      if (now - last < CHECK_EVERY_MS) continue;
      try {
        await job(serverId, runCheck);
      } catch (err) {
        deps.log?.(`[switchyard] certificate check of ${server.alias} failed: ${errorMessage(err)}`);
      }
    }
  }

  return {
    status(serverId: string): ServerDeploy {
      requireServer(serverId);
      return status(serverId);
    },
    list(): ServerDeploy[] {
      return store.certDeploy
        .serverIds()
        .filter((id) => store.servers.get(id) !== null)
        .map(status);
    },
    install: installAndCheck,
    check: (serverId: string): Promise<ServerDeploy> => job(serverId, runCheck),
    /** After an assignment changed: install in the background; failures are recorded, not thrown. */
    installInBackground(serverId: string): void {
      installAndCheck(serverId).catch((err: unknown) => deps.log?.(`[switchyard] certificate install failed: ${errorMessage(err)}`));
    },
    /** Waits for the jobs under way (shutdown). */
    async settle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
    running(): string[] {
      return [...running.keys()];
    },
    dailyPass,
  };
}

export type CertDeployService = ReturnType<typeof createCertDeployService>;
