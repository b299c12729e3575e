import { execFile } from 'node:child_process';
import https from 'node:https';
import tls from 'node:tls';
import * as acme from 'acme-client';
import type { AcmeCertificate, AcmeChallenge, AcmeProgress, AcmeSettings } from '../../contract/cert-deploy-methods';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';
import type { CertificateService } from '../certificates/certificate-service';
import type { CertDeployService } from '../certificates/deploy-service';
import type { SecretStore } from '../secrets/secret-store';
import type { AcmeRecord } from '../store/cert-deploy-repo';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { errorMessage } from '../../domain/error-message';

// Certificates requested over ACME (RFC 8555, what Let's Encrypt speaks) with acme-client: one
// account per directory (its key in the secret store), a fresh P-256 key per certificate, HTTP-01
// answered on the server itself over SSH (a file under the recipe's webroot, which the server's web
// server must serve on port 80) or DNS-01 by the operator's own hook program. The issued
// certificate is imported, assigned to the server as Server for that name in place of the one it
// renews, installed and checked. Renewal starts 30 days before expiry, from the host's background.

export const ACME_ACCOUNT_KEY_SECRET = 'acme-account-key';
export const RENEW_DAYS = 30;
const DAY = 86_400_000;
/** A failed renewal is retried after this long, not on every background pass. */
const RETRY_AFTER_MS = DAY;
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export interface AcmeDeps {
  store: Store;
  secrets: SecretStore;
  certificates: CertificateService;
  deploy: CertDeployService;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
  progress?: (event: AcmeProgress) => void;
  changed?: () => void;
  log?: (message: string) => void;
  /** Runs the DNS-01 hook; the real program by default. */
  runHook?: (program: string, args: string[]) => Promise<void>;
}

function runProgram(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 300_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${program} ${args[0] ?? ''} failed: ${stderr.trim().split('\n').pop() || err.message}`));
      else resolve();
    });
  });
}

/** acme-client's errors carry the server's problem document as text; network errors their code. */
function acmeMessage(err: unknown, directoryUrl: string): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'ECONNRESET') {
    return `The ACME server at ${directoryUrl} could not be reached (${e.code}).`;
  }
  if (e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || e.code === 'SELF_SIGNED_CERT_IN_CHAIN' || e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return `The ACME server at ${directoryUrl} presents a certificate this host does not trust (${e.code}): for a private ACME server, paste its CA certificate in the ACME settings.`;
  }
  return `The ACME server refused: ${e.message ?? String(err)}`;
}

export function createAcmeService(deps: AcmeDeps) {
  const { store, secrets, clock } = deps;
  const runHook = deps.runHook ?? runProgram;
  // acme-client has one HTTP client for the process: requests go one at a time, each with its CA.
  let queue: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<string>();

  const present = (r: AcmeRecord): AcmeCertificate => ({
    ...r,
    renewAt: r.notAfter === null || r.state === 'requesting' ? null : r.notAfter - RENEW_DAYS * DAY,
  });
  const settings = (): AcmeSettings => {
    const s = store.certDeploy.acmeSettings();
    return {
      directoryUrl: s.directoryUrl,
      email: s.email,
      caPem: s.caPem,
      dnsHook: s.dnsHook,
      renewDays: RENEW_DAYS,
      accountKeySet: secrets.get(ACME_ACCOUNT_KEY_SECRET) !== null,
    };
  };

  async function accountKey(): Promise<string> {
    const held = secrets.get(ACME_ACCOUNT_KEY_SECRET);
    if (held !== null) return held;
    const key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
    secrets.set(ACME_ACCOUNT_KEY_SECRET, key);
    store.certDeploy.saveAccountUrl(null);
    return key;
  }

  async function challengeOnServer(
    server: StoredServer,
    what: 'challenge' | 'challengeRemove',
    token: string,
    keyAuthorization: string,
  ): Promise<void> {
    const recipe = deps.recipes().certificates;
    if (!recipe)
      throw invalid(
        'recipes.certificates',
        'The recipe book has no "certificates" entry, so Switchyard does not know the webroot that answers HTTP-01.',
      );
    if (!TOKEN.test(token))
      throw new DomainError(
        'internal',
        'The ACME server sent a challenge token that is not base64url text; refusing to use it as a file name.',
      );
    const command = recipe[what];
    const { argv } = renderCommand(
      command.command,
      { token },
      { ...(recipe.defaults as unknown as Record<string, string>), ...command.defaults },
      command.label,
    );
    const result = await deps.exec(server, argv, { input: keyAuthorization, timeoutMs: command.timeoutSec * 1000 });
    if (result.failure || result.code !== 0) {
      const why = result.failure ?? `exit ${result.code ?? result.signal ?? '?'}: ${result.stderr.trim().split('\n').pop() ?? ''}`;
      throw new DomainError('internal', `Writing the HTTP-01 answer under ${recipe.defaults.webroot} on ${server.alias} failed (${why}).`);
    }
  }

  async function issue(
    server: StoredServer,
    domain: string,
    challenge: AcmeChallenge,
    step: (text: string) => void,
  ): Promise<{ cert: string; key: string }> {
    const s = store.certDeploy.acmeSettings();
    if (challenge === 'dns-01' && !s.dnsHook)
      throw invalid('challenge', 'DNS-01 needs your DNS hook program (ACME settings): Switchyard does not edit DNS zones itself.');
    acme.axios.defaults.httpsAgent = s.caPem ? new https.Agent({ ca: [...tls.rootCertificates, s.caPem] }) : undefined;
    const client = new acme.Client({
      directoryUrl: s.directoryUrl,
      accountKey: await accountKey(),
      ...(s.accountUrl ? { accountUrl: s.accountUrl } : {}),
      backoffAttempts: 10,
      backoffMin: 500,
      backoffMax: 5_000,
    });
    const key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
    const [, csr] = await acme.crypto.createCsr({ commonName: domain, altNames: [domain] }, key);
    step(`Ordering a certificate for ${domain} from ${s.directoryUrl}`);
    const cert = await client.auto({
      csr,
      ...(s.email ? { email: s.email } : {}),
      termsOfServiceAgreed: true,
      challengePriority: [challenge],
      // The ACME server validates; a pre-check from this workstation would test the wrong network.
      skipChallengeVerification: true,
      challengeCreateFn: async (authz, ch, keyAuthorization) => {
        if (ch.type === 'http-01') {
          step(`Answering HTTP-01 for ${authz.identifier.value} on ${server.alias}`);
          await challengeOnServer(server, 'challenge', (ch as { token: string }).token, keyAuthorization);
        } else {
          step(`Asking the DNS hook to publish _acme-challenge.${authz.identifier.value}`);
          await runHook(s.dnsHook ?? '', ['set', authz.identifier.value, `_acme-challenge.${authz.identifier.value}`, keyAuthorization]);
        }
      },
      challengeRemoveFn: async (authz, ch, keyAuthorization) => {
        try {
          if (ch.type === 'http-01') await challengeOnServer(server, 'challengeRemove', (ch as { token: string }).token, keyAuthorization);
          else
            await runHook(s.dnsHook ?? '', [
              'clear',
              authz.identifier.value,
              `_acme-challenge.${authz.identifier.value}`,
              keyAuthorization,
            ]);
        } catch (err) {
          deps.log?.(`[switchyard] removing the ACME answer for ${domain} failed: ${errorMessage(err)}`);
        }
      },
    });
    store.certDeploy.saveAccountUrl(client.getAccountUrl());
    return { cert, key };
  }

  async function request(input: { serverId: string; challenge: AcmeChallenge; domain?: string | undefined }): Promise<AcmeCertificate> {
    const server = store.servers.get(input.serverId);
    if (!server) throw notFound('Server', input.serverId);
    const domain = (input.domain ?? server.config.fqdn ?? '').trim().toLowerCase();
    if (domain === '')
      throw invalid(
        'domain',
        `${server.alias} has no FQDN: set one in Server Config (certificates are issued for a name), or give the domain.`,
      );
    if (inFlight.has(server.id)) throw new DomainError('conflict', `A certificate for ${server.alias} is being requested already.`);
    inFlight.add(server.id);
    const requestedAt = clock();
    const previous = store.certDeploy.acme(server.id);
    const save = (state: AcmeCertificate['state'], message: string, certificateId: string | null, finished: boolean): void => {
      store.certDeploy.saveAcme({
        serverId: server.id,
        domain,
        challenge: input.challenge,
        state,
        message,
        certificateId,
        requestedAt,
        finishedAt: finished ? clock() : null,
      });
      deps.changed?.();
    };
    const step = (text: string, done = false, ok = true): void =>
      deps.progress?.({ serverId: server.id, domain, step: text, done, ok, at: clock() });
    save('requesting', `Requesting a certificate for ${domain}.`, null, false);
    step(`Requesting a certificate for ${domain}`);
    const run = queue.then(async () => {
      let issued: { cert: string; key: string };
      try {
        issued = await issue(server, domain, input.challenge, (t) => step(t));
      } catch (err) {
        const message = err instanceof DomainError ? err.message : acmeMessage(err, store.certDeploy.acmeSettings().directoryUrl);
        save('failed', `${domain}: ${message} Nothing was imported or installed.`, null, true);
        step(message, true, false);
        return;
      }
      try {
        step('Importing and assigning the new certificate');
        const imported = deps.certificates.import({ pem: issued.cert, keyPem: issued.key, name: domain });
        // The renewed certificate takes the old one's place on this server, for the same name.
        const old = previous?.certificateId ?? null;
        if (old !== null && old !== imported.id) {
          try {
            deps.certificates.unassign({ serverId: server.id, certificateId: old, type: 'server' });
          } catch {
            // Unassigned by hand already: nothing to replace.
          }
        }
        deps.certificates.assign({ serverId: server.id, certificateId: imported.id, type: 'server', domains: [domain] });
        save(
          'issued',
          `Issued ${new Date(imported.notBefore).toISOString().slice(0, 10)}, valid until ${new Date(imported.notAfter).toISOString().slice(0, 10)} (SHA-256 ${imported.fingerprint256}); installing on ${server.alias}.`,
          imported.id,
          false,
        );
        step(`Installing on ${server.alias}`);
        const deployed = await deps.deploy.install(server.id);
        const ok = deployed.install?.state === 'installed';
        save(
          'issued',
          `Issued for ${domain}, valid until ${new Date(imported.notAfter).toISOString().slice(0, 10)}. ${deployed.install?.message ?? ''}`.trim(),
          imported.id,
          true,
        );
        if (ok && old !== null && old !== imported.id && deps.certificates.get(old).assignments.length === 0)
          deps.certificates.delete(old, 'refuse');
        step(
          ok ? `Issued and installed on ${server.alias}` : `Issued, but the install did not complete: ${deployed.install?.message ?? ''}`,
          true,
          ok,
        );
      } catch (err) {
        const message = `${domain}: the certificate was issued, but ${errorMessage(err)}`;
        save('failed', message, null, true);
        step(message, true, false);
      }
    });
    queue = run.catch(() => undefined);
    try {
      await run;
    } finally {
      inFlight.delete(server.id);
    }
    const record = store.certDeploy.acme(server.id);
    if (!record) throw new DomainError('internal', 'The ACME request was not recorded.');
    return present(record);
  }

  /** Renews what expires within 30 days; a failure is retried a day later. */
  async function renewDue(): Promise<void> {
    const now = clock();
    for (const record of store.certDeploy.acmeList()) {
      if (record.notAfter === null || record.state === 'requesting' || record.notAfter - now > RENEW_DAYS * DAY) continue;
      if (record.state === 'failed' && record.finishedAt !== null && now - record.finishedAt < RETRY_AFTER_MS) continue;
      if (inFlight.has(record.serverId)) continue;
      try {
        await request({ serverId: record.serverId, challenge: record.challenge, domain: record.domain });
      } catch (err) {
        deps.log?.(`[switchyard] renewing the certificate of ${record.domain} failed: ${errorMessage(err)}`);
      }
    }
  }

  return {
    settings,
    saveSettings(input: { directoryUrl: string; email: string | null; caPem: string | null; dnsHook: string | null }): AcmeSettings {
      const caPem = input.caPem?.trim() ? input.caPem.trim() : null;
      if (caPem !== null && !/-----BEGIN CERTIFICATE-----/.test(caPem))
        throw invalid('caPem', 'The CA certificate must be PEM text ("-----BEGIN CERTIFICATE-----").');
      store.certDeploy.saveAcmeSettings({ directoryUrl: input.directoryUrl, email: input.email, caPem, dnsHook: input.dnsHook });
      deps.changed?.();
      return settings();
    },
    request,
    list: (): AcmeCertificate[] => store.certDeploy.acmeList().map(present),
    renewDue,
  };
}

export type AcmeService = ReturnType<typeof createAcmeService>;
