import { canonicalIp } from '../fleet/ip';
import { invalid } from '../errors';
import { sansCover, type SubjectAltNames } from './san-match';

// Kamailio's tls.cfg for one server, from its certificate assignments. Kamailio picks a server
// profile in two steps: by address first ([server:default] when no ip:port profile matches), then
// again by the SNI name the client sent, among the profiles with a `server_name`. So:
//   - [server:default] holds the certificate served when no SNI name matches (and to clients that
//     send none): the Server certificate covering the server's FQDN, else the first one assigned;
//   - one [server:any] per matched SIP domain, with `server_name` (a wildcard `*.example.com`
//     becomes `server_name = example.com` with `server_name_mode = 2`, subdomains only);
//   - Client certificates become [client:any] profiles with `server_name` (the SNI Kamailio sends)
//     and `server_id` (what a route selects with the tls xavp), and [client:default] stays plain.
// SNI carries host names only: a "domain" that is an IP address gets no profile of its own.

export interface TlsEntry {
  certificateId: string;
  name: string;
  type: 'server' | 'client';
  domains: readonly string[];
  sans: SubjectAltNames;
  /** Paths on the server. */
  chainFile: string;
  keyFile: string;
}

export interface TlsProfile {
  role: 'server' | 'client';
  /** The SNI name it answers (server) or sends (client); null for a default profile. */
  domain: string | null;
  certificateId: string | null;
}

export interface TlsConfig {
  text: string;
  profiles: TlsProfile[];
  /** The certificate a client gets when its SNI name matches no profile (or it sends none). */
  defaultCertificateId: string;
  /** Things the operator should know: domains left to the default, and why. */
  notes: string[];
}

const isIp = (domain: string): boolean => canonicalIp(domain.replace(/^\[(.*)\]$/, '$1')) !== null;

/** Two certificates of one type claiming one SIP domain on one server: the first such clash. */
export function domainClaimClash(
  existing: readonly { certificateId: string; certificateName: string; type: 'server' | 'client'; domains: readonly string[] }[],
  incoming: { certificateId: string; type: 'server' | 'client'; domains: readonly string[] },
): { domain: string; otherCertificateId: string; otherName: string } | null {
  for (const other of existing) {
    if (other.certificateId === incoming.certificateId || other.type !== incoming.type) continue;
    const theirs = new Set(other.domains.map((d) => d.toLowerCase()));
    const domain = incoming.domains.find((d) => theirs.has(d.toLowerCase()));
    if (domain !== undefined) return { domain, otherCertificateId: other.certificateId, otherName: other.certificateName };
  }
  return null;
}

/** The certificate [server:default] serves. */
export function defaultServerCertificate(entries: readonly TlsEntry[], fqdn: string | null): TlsEntry | null {
  const servers = entries.filter((e) => e.type === 'server');
  const name = fqdn?.trim() ?? '';
  return (
    (name !== '' ? servers.find((e) => sansCover(e.sans, name)) : undefined) ??
    servers.find((e) => e.domains.length === 0) ??
    servers[0] ??
    null
  );
}

function profile(lines: string[], header: string, method: string, entry: TlsEntry | null, extra: string[]): void {
  lines.push(header, `method = ${method}`, 'verify_certificate = no', 'require_certificate = no');
  if (entry) lines.push(`certificate = ${entry.chainFile}`, `private_key = ${entry.keyFile}`);
  lines.push(...extra, '');
}

function safeValue(value: string, what: string): string {
  if (!/^[A-Za-z0-9._*:/-]+$/.test(value))
    throw invalid('domains', `${what} "${value}" cannot be written into tls.cfg: only letters, digits, ".", "-" and "*." are allowed.`);
  return value;
}

/** Builds tls.cfg, or refuses in words (no Server certificate at all: Kamailio needs a default). */
export function buildTlsConfig(input: {
  serverLabel: string;
  fqdn: string | null;
  method: string;
  entries: readonly TlsEntry[];
}): TlsConfig {
  const fallback = defaultServerCertificate(input.entries, input.fqdn);
  if (!fallback) {
    throw invalid(
      'type',
      `No Server certificate is assigned to ${input.serverLabel}: Kamailio's [server:default] profile needs one, so nothing was installed.`,
    );
  }
  const lines = [
    `# Written by Switchyard for ${input.serverLabel}. Each matched SIP domain is served its own`,
    '# certificate by SNI; other names (and clients sending none) get [server:default].',
    '# Assigning or removing a certificate in Switchyard rewrites this file.',
    '',
  ];
  const profiles: TlsProfile[] = [{ role: 'server', domain: null, certificateId: fallback.certificateId }];
  const notes: string[] = [];
  profile(lines, '[server:default]', input.method, fallback, []);
  for (const entry of input.entries) {
    for (const domain of entry.domains) {
      if (isIp(domain)) {
        notes.push(
          `${domain} is an address, and SNI carries names only: clients reaching ${domain} get the default certificate (${fallback.name}).`,
        );
        continue;
      }
      const wildcard = domain.startsWith('*.');
      const name = safeValue(wildcard ? domain.slice(2) : domain, 'The SIP domain');
      const extra = [`server_name = ${name}`, ...(wildcard ? ['server_name_mode = 2'] : [])];
      if (entry.type === 'client') extra.push(`server_id = ${name}`);
      profile(lines, `[${entry.type}:any]`, input.method, entry, extra);
      profiles.push({ role: entry.type, domain, certificateId: entry.certificateId });
    }
  }
  const clientDefault = input.entries.find((e) => e.type === 'client' && e.domains.length === 0) ?? null;
  profile(lines, '[client:default]', input.method, clientDefault, []);
  profiles.push({ role: 'client', domain: null, certificateId: clientDefault?.certificateId ?? null });
  return { text: lines.join('\n'), profiles, defaultCertificateId: fallback.certificateId, notes };
}
