import { sansCover, type SubjectAltNames } from './san-match';

// What is wrong with a certificate, or with the certificates of a server, in terms the UI and the
// config advisor share. Pure: the caller passes the clock.

/** The platform warns this long before a certificate expires. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export type ExpiryState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export function expiryState(validity: { notBefore: number; notAfter: number }, now: number, warnDays = EXPIRY_WARNING_DAYS): ExpiryState {
  if (now >= validity.notAfter) return 'expired';
  if (now < validity.notBefore) return 'not-yet-valid';
  if (validity.notAfter - now <= warnDays * DAY_MS) return 'expiring';
  return 'valid';
}

export type CertificateUse = 'server' | 'client';

export interface AssignedCertificate {
  certificateId: string;
  name: string;
  type: CertificateUse;
  domains: string[];
  sans: SubjectAltNames;
  notBefore: number;
  notAfter: number;
}

export type CertificateFinding =
  | { kind: 'uncovered-domain'; severity: 'warning'; certificateId: string; domain: string; message: string }
  | { kind: 'expired' | 'expiring' | 'not-yet-valid'; severity: 'error' | 'warning'; certificateId: string; message: string }
  | { kind: 'tls-without-fqdn' | 'tls-without-certificate'; severity: 'error'; message: string };

export interface TlsSettings {
  webrtcTls: boolean;
  fqdn: string | null;
}

/** Domains a certificate must match but does not cover (as TLS would refuse them). */
export function uncoveredDomains(sans: SubjectAltNames, domains: readonly string[]): string[] {
  return domains.filter((domain) => !sansCover(sans, domain));
}

export function serverCertificateFindings(
  config: TlsSettings,
  assigned: readonly AssignedCertificate[],
  now: number,
): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  for (const cert of assigned) {
    const state = expiryState(cert, now);
    const days = Math.ceil((cert.notAfter - now) / DAY_MS);
    if (state === 'expired') {
      findings.push({
        kind: 'expired',
        severity: 'error',
        certificateId: cert.certificateId,
        message: `${cert.name} expired on ${new Date(cert.notAfter).toISOString().slice(0, 10)}: TLS clients refuse it.`,
      });
    } else if (state === 'expiring') {
      findings.push({
        kind: 'expiring',
        severity: 'warning',
        certificateId: cert.certificateId,
        message: `${cert.name} expires in ${days} day${days === 1 ? '' : 's'} (${new Date(cert.notAfter).toISOString().slice(0, 10)}): renew it.`,
      });
    } else if (state === 'not-yet-valid') {
      findings.push({
        kind: 'not-yet-valid',
        severity: 'warning',
        certificateId: cert.certificateId,
        message: `${cert.name} is not valid before ${new Date(cert.notBefore).toISOString().slice(0, 10)}.`,
      });
    }
    for (const domain of uncoveredDomains(cert.sans, cert.domains)) {
      findings.push({
        kind: 'uncovered-domain',
        severity: 'warning',
        certificateId: cert.certificateId,
        domain,
        message: `${cert.name} does not cover ${domain}: none of its names match it, so TLS clients asking for ${domain} will refuse the connection.`,
      });
    }
  }
  if (config.webrtcTls) {
    const fqdn = config.fqdn?.trim() ?? '';
    if (fqdn === '') {
      findings.push({
        kind: 'tls-without-fqdn',
        severity: 'error',
        message: 'WebRTC and TLS are on but the server has no FQDN: TLS certificates are issued for a name.',
      });
    } else {
      const usable = assigned.some(
        (c) =>
          c.type === 'server' && expiryState(c, now) !== 'expired' && expiryState(c, now) !== 'not-yet-valid' && sansCover(c.sans, fqdn),
      );
      if (!usable) {
        findings.push({
          kind: 'tls-without-certificate',
          severity: 'error',
          message: `WebRTC and TLS are on but no valid Server certificate assigned to this server covers its FQDN ${fqdn}.`,
        });
      }
    }
  }
  return findings;
}
