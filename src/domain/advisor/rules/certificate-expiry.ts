import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'certificate-expiry';

/** Certificates are flagged this many days before they expire. */
export const CERTIFICATE_WARN_DAYS = 30;
const DAY = 86_400_000;

const WHY =
  'TLS and WebRTC peers refuse an expired certificate: calls over TLS and from browsers fail on the servers using it from the moment it expires.';

export const certificateExpiry: AdvisorRule = {
  id: ID,
  title: 'Certificates expired or expiring',
  check(fleet, now) {
    const findings: Finding[] = [];
    for (const cert of fleet.certificates ?? []) {
      const assigned = new Set(cert.serverIds);
      const servers = fleet.servers.filter((s) => assigned.has(s.id)).map(refOf);
      const days = Math.floor((cert.notAfter - now) / DAY);
      if (cert.notAfter <= now) {
        findings.push({
          rule: ID,
          severity: 'error',
          servers,
          message: `Certificate ${cert.name} has expired.`,
          why: WHY,
          fix: 'Import a renewed certificate and assign it in place of this one.',
          field: 'certificates',
        });
      } else if (cert.notAfter - now <= CERTIFICATE_WARN_DAYS * DAY) {
        findings.push({
          rule: ID,
          severity: 'warning',
          servers,
          message: `Certificate ${cert.name} expires in ${days} day${days === 1 ? '' : 's'}.`,
          why: WHY,
          fix: 'Renew it before it expires and assign the new one.',
          field: 'certificates',
        });
      }
    }
    return findings;
  },
};
