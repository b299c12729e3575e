import { groupBy } from '../../group-by';
import { refOf } from '../../platform/fleet-shape';
import type { AdvisorCertificate, AdvisorRule, Finding } from '../finding';
import { dnsNameMatches } from '../../certificates/san-match';

const ID = 'webrtc-tls-identity';

// WebRTC and TLS go live only with an FQDN and a valid certificate for it. Certificate data is
// checked when the fleet has it; without it, only the FQDN can be checked.

const WHY =
  'WebRTC and TLS are enabled when the FQDN is live and need a valid certificate for that FQDN; the WebPhone depends on them. Without both, browsers and TLS peers cannot connect.';

/** Each server's certificates, in the fleet's certificate order, each once however often it is assigned. */
function certificatesByServer(certificates: readonly AdvisorCertificate[]): Map<string, { cert: AdvisorCertificate }[]> {
  const held = certificates.flatMap((cert) => [...new Set(cert.serverIds)].map((serverId) => ({ serverId, cert })));
  return groupBy(held, (h) => h.serverId);
}

export const webrtcTlsIdentity: AdvisorRule = {
  id: ID,
  title: 'WebRTC/TLS without an FQDN or certificate',
  check(fleet, now) {
    const findings: Finding[] = [];
    const certificates = fleet.certificates === undefined ? undefined : certificatesByServer(fleet.certificates);
    for (const s of fleet.servers.filter((x) => x.config.webrtcTls)) {
      const fqdn = s.config.fqdn?.trim() ?? '';
      if (fqdn === '') {
        findings.push({
          rule: ID,
          severity: 'error',
          servers: [refOf(s)],
          message: `${s.alias} has WebRTC/TLS on but no FQDN.`,
          why: WHY,
          fix: 'Set the FQDN (and give it a certificate), or turn WebRTC/TLS off.',
          field: 'config.fqdn',
        });
        continue;
      }
      if (certificates === undefined) continue;
      const assigned = (certificates.get(s.id) ?? []).map((h) => h.cert);
      const valid = assigned.filter((c) => c.notAfter > now && c.sans.some((san) => dnsNameMatches(san, fqdn)));
      if (valid.length === 0) {
        const detail =
          assigned.length === 0
            ? 'no certificate is assigned to it'
            : `none of its certificates (${assigned.map((c) => c.name).join(', ')}) is valid for ${fqdn}`;
        findings.push({
          rule: ID,
          severity: 'error',
          servers: [refOf(s)],
          message: `${s.alias} has WebRTC/TLS on, but ${detail}.`,
          why: WHY,
          fix: `Assign a certificate whose names cover ${fqdn} and that has not expired.`,
          field: 'certificates',
        });
      }
    }
    return findings;
  },
};
