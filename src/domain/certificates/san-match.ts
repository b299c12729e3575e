import { canonicalIp } from '../fleet/ip';

// Host-name matching as TLS clients do it (RFC 6125 §6.4, the CA/Browser Forum rules): the names
// come from the subjectAltName only (the subject CN is ignored, as every browser ignores it), a
// wildcard is the whole left-most label and stands for exactly one label, comparison ignores
// case and a trailing dot, and an IP address matches IP SANs only — never a DNS SAN spelling it.

export interface SubjectAltNames {
  dns: string[];
  /** Canonical text (RFC 5952 for IPv6). */
  ip: string[];
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** True when one DNS SAN (possibly `*.example.com`) covers the host name. */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = normalizeName(pattern);
  const h = normalizeName(host);
  if (p.length === 0 || h.length === 0) return false;
  if (!p.startsWith('*.')) return !p.includes('*') && p === h;
  const base = p.slice(2);
  // `*.com` would cover a whole public suffix: clients refuse wildcards with fewer than two labels
  // after them, and so do we. A `*` anywhere else (`f*.example.com`, `a.*.example.com`) is refused.
  if (base.includes('*') || !base.includes('.')) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  return h.slice(dot + 1) === base;
}

/** Does a certificate with these SANs serve `host` (a name or an IP address)? */
export function sansCover(sans: SubjectAltNames, host: string): boolean {
  const ip = canonicalIp(host.replace(/^\[(.*)\]$/, '$1'));
  if (ip !== null) return sans.ip.some((candidate) => canonicalIp(candidate) === ip);
  return sans.dns.some((pattern) => dnsNameMatches(pattern, host));
}

/** The SANs as one line, for lists: `DNS:a.example.com, IP:127.0.0.1`. */
export function formatSans(sans: SubjectAltNames): string {
  return [...sans.dns.map((d) => `DNS:${d}`), ...sans.ip.map((i) => `IP:${i}`)].join(', ');
}
