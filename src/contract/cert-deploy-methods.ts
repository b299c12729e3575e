import { z } from 'zod';
import { Id } from './fleet';
import { command, query, withRole } from './spec';

// Certificates on the servers themselves: installed over SSH into Kamailio's tls.cfg, checked from
// outside by a TLS handshake per SIP domain, and requested over ACME. Assigning a certificate
// (`certs:assign`) starts an install; these methods show, repeat and check it.

export const InstallState = z.enum(['running', 'installed', 'refused', 'failed']);
export type InstallState = z.infer<typeof InstallState>;

export const CertInstall = z.object({
  serverId: Id,
  /** installed; refused: the server's TLS reload refused the files and the previous ones were put back; failed: nothing changed. */
  state: InstallState,
  /** The step it is at or ended in, in words. */
  step: z.string(),
  message: z.string(),
  /** Domains left to the default certificate, and why. */
  notes: z.array(z.string()),
  /** The tls.cfg written (paths and names, no key material). */
  tlsConfig: z.string().nullable(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
});
export type CertInstall = z.infer<typeof CertInstall>;

export const ServedOutcome = z.enum(['ok', 'wrong-certificate', 'expired', 'missing-intermediate', 'unreachable']);
export type ServedOutcome = z.infer<typeof ServedOutcome>;

export const DomainCheck = z.object({
  serverId: Id,
  /** The SNI name sent; null: none (what a client gets when its name matches no profile). */
  domain: z.string().nullable(),
  certificateId: Id.nullable(),
  expectedName: z.string(),
  expectedFingerprint: z.string(),
  servedFingerprint: z.string().nullable(),
  servedSubject: z.string().nullable(),
  outcome: ServedOutcome,
  message: z.string(),
  checkedAt: z.number().int(),
});
export type DomainCheck = z.infer<typeof DomainCheck>;

export const ServerDeploy = z.object({
  serverId: Id,
  install: CertInstall.nullable(),
  checks: z.array(DomainCheck),
  /** An install or check is under way now. */
  running: z.boolean(),
});
export type ServerDeploy = z.infer<typeof ServerDeploy>;

export const DeployProgress = z.object({
  serverId: Id,
  phase: z.enum(['install', 'check']),
  step: z.string(),
  message: z.string(),
  /** The phase ended (its outcome is in the next `certs:deploy-status`). */
  done: z.boolean(),
  ok: z.boolean(),
  at: z.number().int(),
});
export type DeployProgress = z.infer<typeof DeployProgress>;

export const AcmeChallenge = z.enum(['http-01', 'dns-01']);
export type AcmeChallenge = z.infer<typeof AcmeChallenge>;

export const AcmeSettings = z.object({
  directoryUrl: z.string(),
  email: z.string().nullable(),
  /** A CA certificate to trust for the ACME server's own HTTPS (a private or test ACME server). */
  caPem: z.string().nullable(),
  /** A program on this host called as `HOOK set|clear DOMAIN RECORD VALUE` for DNS-01. */
  dnsHook: z.string().nullable(),
  /** Renewal starts this many days before expiry. */
  renewDays: z.number().int(),
  /** An ACME account key is held in the secret store. */
  accountKeySet: z.boolean(),
});
export type AcmeSettings = z.infer<typeof AcmeSettings>;

export const AcmeState = z.enum(['requesting', 'issued', 'failed']);

export const AcmeCertificate = z.object({
  serverId: Id,
  domain: z.string(),
  challenge: AcmeChallenge,
  state: AcmeState,
  message: z.string(),
  certificateId: Id.nullable(),
  notAfter: z.number().int().nullable(),
  /** When the background renewal will request a new one (30 days before expiry). */
  renewAt: z.number().int().nullable(),
  requestedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
});
export type AcmeCertificate = z.infer<typeof AcmeCertificate>;

export const AcmeProgress = z.object({
  serverId: Id,
  domain: z.string(),
  step: z.string(),
  done: z.boolean(),
  ok: z.boolean(),
  at: z.number().int(),
});
export type AcmeProgress = z.infer<typeof AcmeProgress>;

const HttpsUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine(
    (v) => /^https:\/\/[^\s/]+/.test(v),
    'must be an https:// URL (the ACME directory, e.g. https://acme-v02.api.letsencrypt.org/directory)',
  );

const FqdnText = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a host name such as sip.example.com');

export const certDeployMethods = {
  /** Installs the server's assigned certificates now (again), then checks them; resolves when both ended. */
  'certs:install': command(z.strictObject({ serverId: Id }), ServerDeploy),
  /** A TLS handshake per matched domain (and one with no SNI name), compared with what is assigned. */
  'certs:check': withRole('operator', command(z.strictObject({ serverId: Id }), ServerDeploy)),
  'certs:deploy-status': query(z.strictObject({ serverId: Id }), ServerDeploy),
  /** Every server with certificates assigned, installed or checked. */
  'certs:list-checks': query(z.strictObject({}), z.array(ServerDeploy)),
  'acme:settings': query(z.strictObject({}), AcmeSettings),
  'acme:save-settings': command(
    z.strictObject({
      directoryUrl: HttpsUrl,
      email: z.string().trim().max(254).email('must be an email address').nullable().default(null),
      caPem: z.string().max(100_000).nullable().default(null),
      dnsHook: z
        .string()
        .trim()
        .max(1_000)
        .regex(/^\/\S+$/, 'must be the absolute path of a program')
        .nullable()
        .default(null),
    }),
    AcmeSettings,
  ),
  /** Requests a certificate for the server's FQDN (or `domain`), imports it, assigns it as Server and installs it. */
  'acme:request': command(
    z.strictObject({ serverId: Id, challenge: AcmeChallenge.default('http-01'), domain: FqdnText.optional() }),
    AcmeCertificate,
  ),
  'acme:list': query(z.strictObject({}), z.array(AcmeCertificate)),
};
