// Kamailio's `kamcmd ul.dump`: the RPC answer printed as nested `Key: {` … `}` blocks with
// `Key: value` lines (tabs or spaces). Read as a tree first, then as domains → AoRs → contacts,
// so a field added by a later Kamailio is ignored rather than fatal. kamcmd prints its own
// failures as `error: …` or `ERROR:: …` (5.6.0 cuts the dump short that way): those, and output
// that ends inside a block, are errors — never "0 registrations".

export interface UlContact {
  address: string;
  /** Seconds left, as Kamailio printed it; null when it printed something else ("permanent"). */
  expires: number | null;
  callId: string | null;
  cseq: number | null;
  userAgent: string | null;
  received: string | null;
  socket: string | null;
  state: string | null;
  /** The registrar node that holds the contact (DMQ replication fills it). */
  serverId: number | null;
  lastModified: number | null;
  /** usrloc's record id, stable across refreshes of the same binding. */
  ruid: string | null;
  /**
   * Unix seconds of the last keepalive answer (usrloc `ka_mode`), or of the last REGISTER when no
   * answer came since: a REGISTER sets it too.
   */
  lastKeepalive: number | null;
  /** Round trip of the last keepalive answer in microseconds; 0 when none was ever answered. */
  kaRoundtripUs: number | null;
}

export interface UlAor {
  aor: string;
  contacts: UlContact[];
}

export interface UlDomain {
  name: string;
  aors: UlAor[];
  /** `Stats: Records`, as Kamailio counted them. */
  records: number | null;
}

export interface UlDump {
  domains: UlDomain[];
  /**
   * The server's clock (Unix seconds) when the dump was taken, from a `Server-Time: N` line the
   * shipped recipe prints before kamcmd's answer; null when the recipe printed none.
   */
  serverTime: number | null;
  aorCount: number;
  contactCount: number;
}

export class UlDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UlDumpError';
  }
}

interface Node {
  key: string;
  value: string | null;
  children: Node[];
}

function tree(text: string): Node {
  const root: Node = { key: '', value: null, children: [] };
  const stack: Node[] = [root];
  let opened = false;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^error:?:?\s/i.test(line) || /^error:/i.test(line))
      throw new UlDumpError(`kamcmd reported an error: ${line.replace(/^error:+\s*/i, '')}`);
    const top = stack[stack.length - 1] as Node;
    if (line === '{') {
      if (opened) throw new UlDumpError(`Line ${index + 1}: an unexpected "{".`);
      opened = true;
      continue;
    }
    if (line === '}') {
      if (stack.length === 1) {
        if (!opened) throw new UlDumpError(`Line ${index + 1}: a "}" closes nothing.`);
        opened = false;
        continue;
      }
      stack.pop();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UlDumpError(`Line ${index + 1} is not "Key: value": ${line.slice(0, 80)}`);
    const key = line.slice(0, colon).trim();
    const rest = line.slice(colon + 1).trim();
    if (rest === '{') {
      const node: Node = { key, value: null, children: [] };
      top.children.push(node);
      stack.push(node);
    } else {
      top.children.push({ key, value: rest, children: [] });
    }
  }
  if (stack.length > 1 || opened) throw new UlDumpError('The output ends in the middle of a record: it was cut short.');
  return root;
}

const child = (node: Node, key: string): Node | undefined => node.children.find((c) => c.key === key);
const all = (node: Node | undefined, key: string): Node[] => (node ? node.children.filter((c) => c.key === key) : []);

function text(node: Node, key: string): string | null {
  const value = child(node, key)?.value ?? null;
  return value === null || value === '[not set]' ? null : value;
}

function int(node: Node, key: string): number | null {
  const value = text(node, key);
  return value !== null && /^-?\d+$/.test(value) ? Number(value) : null;
}

function contactOf(node: Node): UlContact {
  const address = text(node, 'Address');
  if (address === null) throw new UlDumpError('A contact has no Address.');
  return {
    address,
    expires: int(node, 'Expires'),
    callId: text(node, 'Call-ID'),
    cseq: int(node, 'CSeq'),
    userAgent: text(node, 'User-Agent'),
    received: text(node, 'Received'),
    socket: text(node, 'Socket'),
    state: text(node, 'State'),
    serverId: int(node, 'Server-Id'),
    lastModified: int(node, 'Last-Modified'),
    ruid: text(node, 'Ruid'),
    lastKeepalive: int(node, 'Last-Keepalive'),
    kaRoundtripUs: int(node, 'KA-Roundtrip'),
  };
}

export function parseUlDump(output: string): UlDump {
  if (output.trim() === '') throw new UlDumpError('kamcmd printed nothing: is the usrloc module loaded and the ctl socket reachable?');
  const root = tree(output);
  const domainsNode = child(root, 'Domains');
  if (!domainsNode) throw new UlDumpError('The output has no "Domains" block: it is not a ul.dump.');
  const domains = all(domainsNode, 'Domain').map((domain): UlDomain => {
    const aors = all(child(domain, 'AoRs'), 'Info').map((info): UlAor => {
      const aor = text(info, 'AoR');
      if (aor === null) throw new UlDumpError('An AoR record has no "AoR" name.');
      return { aor, contacts: all(child(info, 'Contacts'), 'Contact').map(contactOf) };
    });
    const stats = child(domain, 'Stats');
    return { name: text(domain, 'Domain') ?? '', aors, records: stats ? int(stats, 'Records') : null };
  });
  const aorCount = domains.reduce((n, d) => n + d.aors.length, 0);
  const contactCount = domains.reduce((n, d) => n + d.aors.reduce((m, a) => m + a.contacts.length, 0), 0);
  return { domains, serverTime: int(root, 'Server-Time'), aorCount, contactCount };
}

export interface UlLookup {
  /** The AoR as the server stores it; null when the table holds no such AoR. */
  aor: string | null;
  contacts: UlContact[];
  serverTime: number | null;
  /**
   * The server's last keepalive round (Unix seconds): the newest answer of any contact, which the
   * shipped recipe prints as `Last-Round: N` (0: none answered); null when absent or 0.
   */
  lastRound: number | null;
}

/**
 * `kamcmd ul.lookup TABLE AOR`: one AoR block, or kamcmd's `error: 500 - AOR not found in location
 * table` (exit 0), which is an answer ("not registered"), not a failure. Every other error is one.
 */
export function parseUlLookup(output: string): UlLookup {
  const header = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s*(\\d+)\\s*$`, 'm').exec(output);
    const value = match ? Number(match[1]) : 0;
    return value > 0 ? value : null;
  };
  const time = header('Server-Time');
  const round = header('Last-Round');
  if (/^error:\s*\d*\s*-?\s*AOR not found/im.test(output)) return { aor: null, contacts: [], serverTime: time, lastRound: round };
  if (output.replace(/^(Server-Time|Last-Round):.*$/gm, '').trim() === '')
    throw new UlDumpError('kamcmd printed nothing: is the usrloc module loaded and the ctl socket reachable?');
  const root = tree(output);
  const aor = text(root, 'AoR');
  if (aor === null) throw new UlDumpError('The output has no "AoR": it is not a ul.lookup answer.');
  return { aor, contacts: all(child(root, 'Contacts'), 'Contact').map(contactOf), serverTime: time, lastRound: round };
}
