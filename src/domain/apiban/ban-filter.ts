import ipaddr from 'ipaddr.js';
import { canonicalIp } from '../fleet/ip';

// What must never be banned, whatever a feed says: an address that is not global unicast (a
// firewall rule for 127.0.0.1, 10.0.0.0/8 or 255.255.255.255 can only cut a server off from
// itself or its own network), the fleet's own servers and RTP servers (a compromised or wrong feed
// must not make the fleet block itself), and the operator's allow-list (carriers, customers, the
// NOC's own addresses). Checked before an address is stored and again before it is sent.

export type DropReason = 'not-global' | 'fleet' | 'allow-listed';

export interface DropCounts {
  /** Entries that are not an IP address at all. */
  malformed: number;
  notGlobal: number;
  fleet: number;
  allowListed: number;
}

export const NO_DROPS: DropCounts = { malformed: 0, notGlobal: 0, fleet: 0, allowListed: 0 };

export function addDrops(a: DropCounts, b: DropCounts): DropCounts {
  return {
    malformed: a.malformed + b.malformed,
    notGlobal: a.notGlobal + b.notGlobal,
    fleet: a.fleet + b.fleet,
    allowListed: a.allowListed + b.allowListed,
  };
}

export function totalDrops(d: DropCounts): number {
  return d.malformed + d.notGlobal + d.fleet + d.allowListed;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** IPv6 global unicast is 2000::/3 (RFC 4291); ipaddr.js calls anything it has no name for "unicast". */
const GLOBAL_V6: Cidr = ipaddr.parseCIDR('2000::/3');

/** Global unicast: not loopback, private, link-local, multicast, broadcast, 0.0.0.0, CGNAT or a documentation range. */
export function isGlobalUnicast(canonical: string): boolean {
  if (!ipaddr.isValid(canonical)) return false;
  const address = ipaddr.parse(canonical);
  if (address.range() !== 'unicast') return false;
  return address.kind() === 'ipv4' || address.match(GLOBAL_V6);
}

/**
 * One allow-list entry as the operator typed it: an address or a CIDR block, returned in
 * canonical form (`10.1.2.3/8` becomes `10.0.0.0/8`), or an error in words.
 */
export function parseAllowEntry(text: string): { entry: string } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'is required: an address such as 203.0.113.7 or a block such as 203.0.113.0/24' };
  if (trimmed.length > 64) return { error: 'is too long for an address or a block' };
  const [head = '', bits, ...rest] = trimmed.split('/');
  const ip = canonicalIp(head);
  if (ip === null || rest.length > 0) return { error: `"${trimmed}" is not an address or a CIDR block (such as 203.0.113.0/24)` };
  if (bits === undefined) return { entry: ip };
  const max = ip.includes(':') ? 128 : 32;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return { error: `"${trimmed}": the prefix length must be 0 to ${max}` };
  const prefix = Number(bits);
  if (prefix === max) return { entry: ip };
  const network = ip.includes(':')
    ? ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${prefix}`)
    : ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${prefix}`);
  return { entry: `${network.toString()}/${prefix}` };
}

export interface Protection {
  /** Why this canonical address must not be banned, or null when it may be. */
  reasonFor(canonical: string): DropReason | null;
}

/**
 * @param fleet the fleet's own addresses (servers, their SSH hosts and jump hosts when they are
 *   addresses, RTP servers, this host's interfaces); anything that is not an address is ignored.
 * @param allowed canonical allow-list entries (addresses and CIDR blocks).
 */
export function buildProtection(fleet: Iterable<string>, allowed: Iterable<string>): Protection {
  const own = new Set<string>();
  for (const text of fleet) {
    const ip = canonicalIp(text);
    if (ip !== null) own.add(ip);
  }
  const exact = new Set<string>();
  const blocks: Cidr[] = [];
  for (const entry of allowed) {
    if (entry.includes('/')) blocks.push(ipaddr.parseCIDR(entry));
    else exact.add(entry);
  }
  return {
    reasonFor(canonical) {
      if (!isGlobalUnicast(canonical)) return 'not-global';
      if (own.has(canonical)) return 'fleet';
      if (exact.has(canonical)) return 'allow-listed';
      if (blocks.length > 0) {
        const address = ipaddr.parse(canonical);
        if (blocks.some((block) => block[0].kind() === address.kind() && address.match(block))) return 'allow-listed';
      }
      return null;
    },
  };
}

/** Splits canonical addresses into those that may be banned and the counts of those dropped. */
export function filterBans(ips: readonly string[], protection: Protection): { kept: string[]; dropped: DropCounts } {
  const kept: string[] = [];
  const dropped = { ...NO_DROPS };
  for (const ip of ips) {
    const reason = protection.reasonFor(ip);
    if (reason === null) kept.push(ip);
    else if (reason === 'not-global') dropped.notGlobal++;
    else if (reason === 'fleet') dropped.fleet++;
    else dropped.allowListed++;
  }
  return { kept, dropped };
}

/** "3 not global, 1 of the fleet's own" — for messages; empty when nothing was dropped. */
export function describeDrops(d: DropCounts): string {
  const parts = [
    d.malformed > 0 ? `${d.malformed} not an address` : '',
    d.notGlobal > 0 ? `${d.notGlobal} not global (private, loopback, broadcast, documentation…)` : '',
    d.fleet > 0 ? `${d.fleet} of the fleet's own` : '',
    d.allowListed > 0 ? `${d.allowListed} allow-listed` : '',
  ].filter((p) => p !== '');
  return parts.join(', ');
}

/**
 * The address inside an SSH host or jump-host setting (`user@203.0.113.5:2222`, `[2001:db8::1]:22`),
 * or null when it names a host instead.
 */
export function addressInHostSetting(text: string | null): string | null {
  if (text === null) return null;
  const host = text.trim().replace(/^[^@]*@/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return canonicalIp(bracketed[1] ?? '');
  const direct = canonicalIp(host);
  if (direct !== null) return direct;
  return canonicalIp(host.replace(/:\d+$/, ''));
}
