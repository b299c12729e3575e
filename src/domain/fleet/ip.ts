import ipaddr from 'ipaddr.js';
import { plainIpSortKey } from './ip-sort-key';

/**
 * Parses an IPv4 or IPv6 address and returns its canonical text, so `10.0.0.01`-style typos are
 * refused and `2001:DB8::1` and `2001:db8:0::1` are recognised as the same server.
 * Returns null for anything that is not a plain address (no CIDR, no zone index, no port).
 */
export function canonicalIp(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 45) return null;
  if (!ipaddr.isValid(trimmed)) return null;
  // ipaddr.js accepts legacy IPv4 forms (`0x7f.1`, `127.1`, leading zeros); a NOC means dotted quads.
  if (!trimmed.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return null;
  if (trimmed.includes('%')) return null;
  // An IPv6 address may end in a dotted quad (`::ffff:192.0.2.1`). It must be plain decimal too,
  // and is turned into two hex groups first: ipaddr.js reads `::192.0.2.1` as `::ffff:192.0.2.1`.
  let address = trimmed;
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (tail) {
    const quad = tail[2] ?? '';
    if (!ipaddr.IPv4.isValidFourPartDecimal(quad)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = quad.split('.').map(Number);
    address = `${tail[1] ?? ''}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    if (!ipaddr.isValid(address)) return null;
  }
  // RFC 5952 text for IPv6 (lower case, longest zero run compressed); dotted quad for IPv4.
  return ipaddr.parse(address).toString();
}

export function isIpv6(canonical: string): boolean {
  return canonical.includes(':');
}

/** Orders addresses numerically (127.0.10.2 before 127.0.10.11), IPv4 before IPv6. */
export function compareIp(a: string, b: string): number {
  return byCodePoint(ipSortKey(a), ipSortKey(b));
}

/**
 * The same order as `compareIp`, for a whole list: each address is parsed once, not at every
 * comparison (a sort of 1,000 servers compares ~10,000 times; parsing in each took 40–800 ms).
 */
export function sortByIp<T>(items: readonly T[], ipOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: ipSortKey(ipOf(item)) }))
    .sort((a, b) => byCodePoint(a.key, b.key))
    .map(({ item }) => item);
}

/** The keys are hex digits after a one-digit family: plain order is numeric order, and several times cheaper than localeCompare. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The key `compareIp` orders by: numeric within a family, IPv4 first, anything else last as written. */
export function ipSortKey(ip: string): string {
  // The common cases without ipaddr.js (parsing took most of a 10,000-server listing's sort).
  const plain = plainIpSortKey(ip);
  if (plain !== null) return plain;
  if (!ipaddr.isValid(ip)) return `2${ip}`;
  const addr = ipaddr.parse(ip);
  const bytes = addr.toByteArray();
  return `${addr.kind() === 'ipv4' ? '0' : '1'}${bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
