// The sort key of an address as Switchyard stores it (canonicalIp: a plain dotted quad, or IPv6
// in RFC 5952 text), worked out without ipaddr.js: the console sorts with it (the page's bundle
// carries no address parser) and the host takes it as the quick path of `ipSortKey` (ip.ts), so
// the fleet table, the Overview and the CLI put servers in the same order. `0` + 8 hex digits for
// IPv4, `1` + 32 for IPv6: plain string order is numeric order, IPv4 first. Anything else (octal
// or short IPv4 forms, upper case, zone indexes, dotted IPv6 tails) gives null.

/** A dotted quad in plain decimal (no leading zeros, which ipaddr.js reads as octal): the fleet's usual address. */
const PLAIN_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

const hexByte = (part: string | undefined): string | null => {
  const n = Number(part);
  return n <= 255 ? (n < 16 ? '0' : '') + n.toString(16) : null;
};

function quadKey(ip: string): string | null {
  const quad = PLAIN_QUAD.exec(ip);
  if (quad === null) return null;
  const a = hexByte(quad[1]);
  const b = hexByte(quad[2]);
  const c = hexByte(quad[3]);
  const d = hexByte(quad[4]);
  return a !== null && b !== null && c !== null && d !== null ? `0${a}${b}${c}${d}` : null;
}

function ipv6Key(ip: string): string | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' || halves[0] === undefined ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' && halves[1] !== undefined ? halves[1].split(':') : [];
  const zeros = 8 - head.length - tail.length;
  // Without `::` all eight groups are written; with it, it stands for at least one.
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return null;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? zeros : 0 }, () => '0'), ...tail];
  if (!groups.every((g) => HEX_GROUP.test(g))) return null;
  return `1${groups.map((g) => g.padStart(4, '0')).join('')}`;
}

export function plainIpSortKey(ip: string): string | null {
  return ip.includes(':') ? ipv6Key(ip) : quadKey(ip);
}
