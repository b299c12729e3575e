// OpenSSH known_hosts, read and matched without IO. Hashed entries (`|1|salt|hash`) need
// HMAC-SHA1, which lives in services: the caller passes it in as `hashHostName`.

export type KnownHostMarker = 'cert-authority' | 'revoked';

export type KnownHostNames = { kind: 'patterns'; patterns: string[] } | { kind: 'hashed'; salt: string; hash: string };

export interface KnownHostEntry {
  /** Which file the line came from, as the operator would name it in a message. */
  source: string;
  /** 1-based line number, so "remove line N" is exact. */
  line: number;
  marker: KnownHostMarker | null;
  names: KnownHostNames;
  keyType: string;
  /** The public key blob in base64, as written in the file. */
  key: string;
}

export interface KnownHostsProblem {
  source: string;
  line: number;
  reason: string;
}

/** HMAC-SHA1 of `name` keyed with the decoded salt, in base64: OpenSSH's hashed host form. */
export type HashHostName = (saltBase64: string, name: string) => string;

/** The name a host is filed under: `host` on port 22, `[host]:port` otherwise (lower case). */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

export function parseKnownHosts(text: string, source: string): { entries: KnownHostEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostMarker | null = null;
    if (fields[0]?.startsWith('@')) {
      const word = fields.shift();
      if (word === '@cert-authority') marker = 'cert-authority';
      else if (word === '@revoked') marker = 'revoked';
      else {
        problems.push({ source, line, reason: `unknown marker ${word ?? ''}` });
        return;
      }
    }
    const [hostField, keyType, key] = fields;
    if (!hostField || !keyType || !key) {
      problems.push({ source, line, reason: 'expected host patterns, key type and key' });
      return;
    }
    const names = parseNames(hostField);
    if (!names) {
      problems.push({ source, line, reason: 'damaged hashed host entry' });
      return;
    }
    entries.push({ source, line, marker, names, keyType, key });
  });
  return { entries, problems };
}

function parseNames(field: string): KnownHostNames | null {
  if (field.startsWith('|')) {
    const match = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(field);
    return match?.[1] && match[2] ? { kind: 'hashed', salt: match[1], hash: match[2] } : null;
  }
  return {
    kind: 'patterns',
    patterns: field
      .toLowerCase()
      .split(',')
      .filter((p) => p !== ''),
  };
}

/** OpenSSH's wildcard match: `*` any run, `?` one character, whole string, no other syntax. */
export function matchWildcard(text: string, pattern: string): boolean {
  // Iterative matcher with backtracking on the last `*`: linear-ish and no regex built from input.
  let t = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Does this entry name `name` (as from `knownHostName`)? A negated pattern that matches wins. */
export function entryNamesHost(entry: KnownHostEntry, name: string, hashHostName: HashHostName): boolean {
  if (entry.names.kind === 'hashed') return hashHostName(entry.names.salt, name) === entry.names.hash;
  let positive = false;
  for (const pattern of entry.names.patterns) {
    if (pattern.startsWith('!')) {
      if (matchWildcard(name, pattern.slice(1))) return false;
    } else if (matchWildcard(name, pattern)) positive = true;
  }
  return positive;
}

export interface PresentedKey {
  host: string;
  port: number;
  keyType: string;
  /** base64 of the key blob the server presented. */
  key: string;
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  /** Entries for this host exist but none holds the presented key: the key changed. */
  | { status: 'changed'; entries: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/**
 * Decides what a presented host key means against every entry of every file. A revoked key is
 * refused whichever host it is filed under: a revocation is about the key, not the name.
 * `@cert-authority` lines are recognised but never match a plain key (host certificates are not
 * offered by the SSH client Switchyard uses), so a host trusted only through a CA reads as unknown.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], presented: PresentedKey, hashHostName: HashHostName): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === presented.key);
  if (revoked) return { status: 'revoked', entry: revoked };
  const name = knownHostName(presented.host, presented.port);
  const forHost = entries.filter((e) => e.marker === null && entryNamesHost(e, name, hashHostName));
  const same = forHost.find((e) => e.key === presented.key);
  if (same) return { status: 'known', entry: same };
  if (forHost.length === 0) return { status: 'unknown' };
  // List the entries of the presented key's type first: that is the key that "changed".
  const sameType = forHost.filter((e) => e.keyType === presented.keyType);
  return { status: 'changed', entries: sameType.length > 0 ? sameType : forHost };
}

/** Key types already filed for a host, so the client can ask the server for one of those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number, hashHostName: HashHostName): string[] {
  const name = knownHostName(host, port);
  const types = entries.filter((e) => e.marker === null && entryNamesHost(e, name, hashHostName)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** One line in OpenSSH format, for appending to the app's own known_hosts. */
export function formatKnownHostsLine(host: string, port: number, keyType: string, key: string): string {
  if (/\s/.test(host) || host === '' || /\s/.test(keyType) || /\s/.test(key)) {
    throw new RangeError('A known_hosts entry cannot contain whitespace in its host, type or key.');
  }
  return `${knownHostName(host, port)} ${keyType} ${key}`;
}
