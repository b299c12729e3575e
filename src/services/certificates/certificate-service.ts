import { randomUUID } from 'node:crypto';
import type { Certificate, CertificateUse, ServerCertificates } from '../../contract/certificates-methods';
import { conflict, DomainError, invalid, notFound } from '../../domain/errors';
import { expiryState, serverCertificateFindings } from '../../domain/certificates/findings';
import type { SecretStore } from '../secrets/secret-store';
import type { CertificateSummary } from '../store/certificates-repo';
import type { Store } from '../store/store';
import { parsePemBundle } from './pem';
import { domainClaimClash } from '../../domain/certificates/tls-config';

export interface CertificateServiceDeps {
  store: Store;
  secrets: SecretStore;
  clock: () => number;
  /** Tells the UI the certificate list or a server's assignments changed. */
  emit?: () => void;
}

/** Where a certificate's private key is kept: the secret store, never SQLite. */
export const certificateKeySecret = (id: string): string => `certificate-key:${id}`;

export function createCertificateService({ store, secrets, clock, emit = () => {} }: CertificateServiceDeps) {
  const present = (c: CertificateSummary): Certificate => ({
    ...c,
    expiry: expiryState(c, clock()),
    keyAvailable: c.hasKey && secrets.get(certificateKeySecret(c.id)) !== null,
  });

  const requireServer = (serverId: string) => {
    const server = store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    return server;
  };

  const forServer = (serverId: string): ServerCertificates => {
    const server = requireServer(serverId);
    const assignments = store.certificates.assignmentsOfServer(serverId);
    const certs = new Map(store.certificates.list().map((c) => [c.id, c]));
    const assigned = assignments.flatMap((a) => {
      const cert = certs.get(a.certificateId);
      return cert
        ? [
            {
              certificateId: a.certificateId,
              name: cert.name,
              type: a.type,
              domains: a.domains,
              sans: cert.sans,
              notBefore: cert.notBefore,
              notAfter: cert.notAfter,
            },
          ]
        : [];
    });
    return { serverId, assignments, findings: serverCertificateFindings(server.config, assigned, clock()) };
  };

  return {
    import(input: { pem: string; keyPem?: string | undefined; name?: string | undefined }): Certificate {
      const parsed = parsePemBundle(input.pem, input.keyPem);
      const existing = store.certificates.idByFingerprint(parsed.fingerprint256);
      if (existing) throw conflict('pem', `This certificate (SHA-256 ${parsed.fingerprint256.slice(0, 23)}…) is already imported.`);
      const id = randomUUID();
      const name = input.name?.trim() || parsed.name;
      // The key goes to the secret store first: if that fails, nothing points at a missing key.
      if (parsed.keyPem) secrets.set(certificateKeySecret(id), parsed.keyPem);
      try {
        store.certificates.insert({ id, ...parsed, name, hasKey: parsed.keyPem !== null, importedAt: clock() });
      } catch (err) {
        if (parsed.keyPem) secrets.delete(certificateKeySecret(id));
        throw err;
      }
      emit();
      const saved = store.certificates.get(id);
      if (!saved) throw new DomainError('internal', 'The certificate was not saved.');
      return present(saved);
    },

    list(): Certificate[] {
      return store.certificates.list().map(present);
    },

    get(id: string) {
      const cert = store.certificates.get(id);
      if (!cert) throw notFound('Certificate', id);
      return { ...present(cert), chainPem: cert.chainPem, assignments: store.certificates.assignmentsOfCertificate(id) };
    },

    delete(id: string, assigned: 'refuse' | 'unassign'): { deleted: number; unassigned: number } {
      const cert = store.certificates.get(id);
      if (!cert) throw notFound('Certificate', id);
      const uses = store.certificates.assignmentsOfCertificate(id);
      if (uses.length > 0 && assigned === 'refuse') {
        throw conflict(
          'id',
          `${cert.name} is assigned to ${uses.length} server${uses.length === 1 ? '' : 's'}. Unassign it first, or delete it and remove it from them.`,
        );
      }
      const result = store.transaction(() => ({
        unassigned: store.certificates.unassignEverywhere(id),
        deleted: store.certificates.delete(id),
      }));
      if (cert.hasKey) secrets.delete(certificateKeySecret(id));
      emit();
      return result;
    },

    assign(input: { serverId: string; certificateId: string; type: CertificateUse; domains: string[] }): ServerCertificates {
      const server = requireServer(input.serverId);
      const cert = store.certificates.get(input.certificateId);
      if (!cert) throw notFound('Certificate', input.certificateId);
      const domains = [...new Set(input.domains.map((d) => d.trim().toLowerCase().replace(/\.$/, '')))];
      if (domains.some((d) => d === '')) throw invalid('domains', 'A SIP domain is empty.');
      // SNI picks one profile per name: a second certificate for the same name would never be served.
      const clash = domainClaimClash(store.certificates.assignmentsOfServer(server.id), {
        certificateId: cert.id,
        type: input.type,
        domains,
      });
      if (clash) {
        throw conflict(
          'domains',
          `${clash.domain} is already matched on ${server.alias} by ${clash.otherName}; ${cert.name} cannot claim it too (one ${input.type === 'server' ? 'Server' : 'Client'} certificate per SIP domain). Remove ${clash.domain} from one of them.`,
        );
      }
      store.certificates.assign(input.serverId, input.certificateId, input.type, domains, clock());
      emit();
      return forServer(input.serverId);
    },

    unassign(input: { serverId: string; certificateId: string; type: CertificateUse }): ServerCertificates {
      requireServer(input.serverId);
      if (!store.certificates.unassign(input.serverId, input.certificateId, input.type)) {
        throw notFound('Assignment of certificate', input.certificateId);
      }
      emit();
      return forServer(input.serverId);
    },

    forServer,

    /** The private key, for deploying it to a server; null when none was imported or the store forgot it. */
    privateKey(id: string): string | null {
      return secrets.get(certificateKeySecret(id));
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
