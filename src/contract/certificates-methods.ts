import { z } from 'zod';
import { Id } from './fleet';
import { command, query } from './spec';

// Certificates: PEM imported once, assigned to servers as Server or Client with the SIP domains
// it must match. The private key never crosses this contract outward: only `hasKey` says whether
// one is held (encrypted, in the secret store).

export const CertificateUse = z.enum(['server', 'client']);
export type CertificateUse = z.infer<typeof CertificateUse>;

export const ExpiryState = z.enum(['valid', 'expiring', 'expired', 'not-yet-valid']);

export const Certificate = z.object({
  id: Id,
  /** The leaf's common name, or its first SAN when it has no CN. */
  name: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  sans: z.object({ dns: z.array(z.string()), ip: z.array(z.string()) }),
  notBefore: z.number().int(),
  notAfter: z.number().int(),
  expiry: ExpiryState,
  /** SHA-256 of the leaf's DER, `AB:CD:…`. */
  fingerprint256: z.string(),
  /** Certificates in the imported chain, the leaf included. */
  chainLength: z.number().int(),
  /** A private key was imported with it. */
  hasKey: z.boolean(),
  /** The key is readable now (a memory-only secret store forgets keys on restart). */
  keyAvailable: z.boolean(),
  assignedTo: z.number().int(),
  importedAt: z.number().int(),
});
export type Certificate = z.infer<typeof Certificate>;

export const SipDomain = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(253, 'is longer than 253 characters')
  .regex(/^(\*\.)?[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/, 'must be a domain name or an IP address');

export const Assignment = z.object({
  serverId: Id,
  certificateId: Id,
  certificateName: z.string(),
  type: CertificateUse,
  domains: z.array(z.string()),
  assignedAt: z.number().int(),
});
export type Assignment = z.infer<typeof Assignment>;

export const CertificateFinding = z.object({
  kind: z.enum(['uncovered-domain', 'expired', 'expiring', 'not-yet-valid', 'tls-without-fqdn', 'tls-without-certificate']),
  severity: z.enum(['error', 'warning']),
  certificateId: Id.optional(),
  domain: z.string().optional(),
  message: z.string(),
});
export type CertificateFinding = z.infer<typeof CertificateFinding>;

export const ServerCertificates = z.object({
  serverId: Id,
  assignments: z.array(Assignment),
  findings: z.array(CertificateFinding),
});
export type ServerCertificates = z.infer<typeof ServerCertificates>;

const Pem = z.string().max(1_000_000, 'is larger than 1 MB: a PEM certificate chain is a few kilobytes');

export const certificatesMethods = {
  /** `pem` holds the certificate (leaf first, then its chain) and may hold the key; `keyPem` is a key given apart. */
  'certs:import': command(z.strictObject({ pem: Pem, keyPem: Pem.optional(), name: z.string().trim().max(120).optional() }), Certificate),
  'certs:list': query(z.strictObject({}), z.array(Certificate)),
  'certs:get': query(z.strictObject({ id: Id }), Certificate.extend({ chainPem: z.string(), assignments: z.array(Assignment) })),
  /** An assigned certificate is refused unless `assigned: 'unassign'` says to remove it from its servers too. */
  'certs:delete': command(
    z.strictObject({ id: Id, assigned: z.enum(['refuse', 'unassign']).default('refuse') }),
    z.object({ deleted: z.number().int(), unassigned: z.number().int() }),
  ),
  'certs:assign': command(
    // `install`: put it on the server over SSH right away (then check it); progress comes as `certs:deploy-progress`.
    z.strictObject({
      serverId: Id,
      certificateId: Id,
      type: CertificateUse,
      domains: z.array(SipDomain).max(100),
      install: z.boolean().default(true),
    }),
    ServerCertificates,
  ),
  'certs:unassign': command(
    z.strictObject({ serverId: Id, certificateId: Id, type: CertificateUse, install: z.boolean().default(true) }),
    ServerCertificates,
  ),
  'certs:for-server': query(z.strictObject({ serverId: Id }), ServerCertificates),
};
