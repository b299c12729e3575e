import type { ClusterDraft, RtpDraft, ServerDraft, ZoneDraft } from '../../contract/fleet';
import type { FieldIssue } from '../errors';
import { isFqdn, isHostname } from './hostname';
import { canonicalIp } from './ip';

type ServerRef = { id: string; ip: string; alias: string; clusterId: string | null };

/** What the rules need to know about the rest of the fleet; ids of the record being edited excluded by the caller. */
export interface FleetContext {
  servers: ReadonlyArray<ServerRef>;
  zones: ReadonlyArray<{ id: string; name: string }>;
  clusters: ReadonlyArray<{ id: string; name: string }>;
  /**
   * The same servers by address, alias and id, for a caller checking many drafts (an import of
   * 10,000 rows): without it each check scans the whole fleet, which makes an import quadratic.
   */
  index?: ServerIndex;
}

/** Lookups over a fleet whose IPs and aliases are unique (as the rules keep them). */
export interface ServerIndex {
  /** By canonical IP. */
  byIp(ip: string): ServerRef | undefined;
  /** By alias, compared as the rules compare them (trimmed, any case). */
  byAlias(alias: string): ServerRef | undefined;
  byId(id: string): ServerRef | undefined;
}

const aliasKey = (alias: string) => alias.trim().toLowerCase();

/** An index that grows with `add` as an import inserts servers. */
export function serverIndex(servers: Iterable<ServerRef>): ServerIndex & { add(server: ServerRef): void } {
  const ips = new Map<string, ServerRef>();
  const aliases = new Map<string, ServerRef>();
  const ids = new Map<string, ServerRef>();
  const add = (s: ServerRef) => {
    ips.set(s.ip, s);
    aliases.set(aliasKey(s.alias), s);
    ids.set(s.id, s);
  };
  for (const s of servers) add(s);
  return {
    byIp: (ip) => ips.get(ip),
    byAlias: (alias) => aliases.get(aliasKey(alias)),
    byId: (id) => ids.get(id),
    add,
  };
}

/** The other server (not `selfId`) that a lookup finds, through the index or by scanning. */
function otherWhere(
  ctx: FleetContext,
  selfId: string | null,
  fromIndex: (index: ServerIndex) => ServerRef | undefined,
  test: (s: ServerRef) => boolean,
): ServerRef | undefined {
  if (ctx.index) {
    const found = fromIndex(ctx.index);
    return found === undefined || found.id === selfId ? undefined : found;
  }
  return ctx.servers.find((s) => s.id !== selfId && test(s));
}

const blankToNull = (v: string | null): string | null => (v === null || v.trim() === '' ? null : v.trim());
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Trims and canonicalises what a user typed, so equal things compare equal and are stored once. */
export function normalizeServerDraft(draft: ServerDraft): ServerDraft {
  const fqdn = blankToNull(draft.config.fqdn);
  const failover = draft.config.capacityFailover;
  return {
    ...draft,
    ip: canonicalIp(draft.ip) ?? draft.ip.trim(),
    alias: draft.alias.trim(),
    config: {
      ...draft.config,
      fqdn: fqdn === null ? null : fqdn.toLowerCase().replace(/\.$/, ''),
      processingZone: blankToNull(draft.config.processingZone),
      tlsPin: blankToNull(draft.config.tlsPin ?? null),
      capacityFailover: failover.enabled ? failover : { enabled: false, targetId: null },
    },
    ssh: {
      ...draft.ssh,
      host: blankToNull(draft.ssh.host),
      keyPath: blankToNull(draft.ssh.keyPath),
      jumpHost: blankToNull(draft.ssh.jumpHost),
    },
  };
}

/**
 * Every rule a server must satisfy, as field issues (empty when it may be saved). `selfId` is the
 * server being edited, so it does not clash with itself.
 */
export function serverIssues(draft: ServerDraft, ctx: FleetContext, selfId: string | null): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ip = canonicalIp(draft.ip);
  if (ip === null) {
    issues.push({ field: 'ip', message: `${draft.ip.trim()} is not an IP address (IPv4 or IPv6).` });
  } else {
    const clash = otherWhere(
      ctx,
      selfId,
      (index) => index.byIp(ip),
      (s) => s.ip === ip,
    );
    if (clash) issues.push({ field: 'ip', message: `IP ${ip} is already used by server "${clash.alias}".`, conflict: true });
  }
  const aliasClash = otherWhere(
    ctx,
    selfId,
    (index) => index.byAlias(draft.alias),
    (s) => sameName(s.alias, draft.alias),
  );
  if (aliasClash) {
    issues.push({ field: 'alias', message: `Alias "${draft.alias}" is already used by server ${aliasClash.ip}.`, conflict: true });
  }
  if (!ctx.zones.some((z) => z.id === draft.zoneId)) {
    issues.push({ field: 'zoneId', message: 'Choose a zone that exists.' });
  }
  if (draft.clusterId !== null && !ctx.clusters.some((c) => c.id === draft.clusterId)) {
    issues.push({ field: 'clusterId', message: 'Choose a cluster that exists, or none.' });
  }
  issues.push(
    ...configIssues(draft, (id) =>
      otherWhere(
        ctx,
        selfId,
        (index) => index.byId(id),
        (s) => s.id === id,
      ),
    ),
  );
  issues.push(...sshIssues(draft));
  return issues;
}

function configIssues(draft: ServerDraft, otherById: (id: string) => ServerRef | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { config } = draft;
  if (config.fqdn !== null && config.fqdn.trim() !== '' && !isFqdn(config.fqdn.trim())) {
    issues.push({ field: 'config.fqdn', message: `"${config.fqdn}" is not a fully qualified domain name (e.g. sip1.example.com).` });
  }
  if (config.webrtcTls && (config.fqdn === null || config.fqdn.trim() === '')) {
    issues.push({
      field: 'config.fqdn',
      message: 'WebRTC and TLS need an FQDN (and a certificate for it): set the FQDN or turn WebRTC/TLS off.',
    });
  }
  const failover = config.capacityFailover;
  if (failover.enabled) {
    const field = 'config.capacityFailover.targetId';
    const target = failover.targetId === null ? undefined : otherById(failover.targetId);
    if (draft.clusterId === null) {
      issues.push({ field, message: 'Capacity failover needs the server to be in a cluster: its target must be another member.' });
    } else if (failover.targetId === null) {
      issues.push({ field, message: 'Choose the server of the same cluster that takes the traffic when this one is full.' });
    } else if (!target) {
      issues.push({ field, message: 'The failover target must be another server of the fleet.' });
    } else if (target.clusterId !== draft.clusterId) {
      issues.push({ field, message: `Failover target "${target.alias}" is not in this server's cluster.` });
    }
  }
  return issues;
}

function sshIssues(draft: ServerDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { ssh } = draft;
  if (ssh.host !== null && ssh.host.trim() !== '' && canonicalIp(ssh.host) === null && !isHostname(ssh.host.trim())) {
    issues.push({ field: 'ssh.host', message: `"${ssh.host}" is neither an IP address nor a host name.` });
  }
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(ssh.user)) {
    issues.push({ field: 'ssh.user', message: `"${ssh.user}" is not a valid user name.` });
  }
  if (ssh.auth === 'key' && (ssh.keyPath === null || ssh.keyPath.trim() === '')) {
    issues.push({ field: 'ssh.keyPath', message: 'Key authentication needs the path of the private key file.' });
  }
  if (ssh.jumpHost !== null && ssh.jumpHost.trim() !== '' && !isJumpHost(ssh.jumpHost.trim())) {
    issues.push({ field: 'ssh.jumpHost', message: `"${ssh.jumpHost}" is not a jump host of the form [user@]host[:port].` });
  }
  return issues;
}

/** `[user@]host[:port]` as `ssh -J` takes it; an IPv6 host in brackets; the port 1–65535. */
function isJumpHost(text: string): boolean {
  const m = /^(?:[^\s@]+@)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:@[\]]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return false;
  const port = m[1] === undefined ? 22 : Number(m[1]);
  return port >= 1 && port <= 65535;
}

/**
 * The reference: whenever a Server Config setting is modified, Install Server is recommended.
 * Cluster membership is one of those settings; identity, capacity and SSH access are not.
 */
export function needsInstall(before: ServerDraft, after: ServerDraft): boolean {
  return before.clusterId !== after.clusterId || !sameValue(before.config, after.config);
}

/** Deep equality of plain data, whatever order the keys were written in. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

export function zoneIssues(draft: ZoneDraft, zones: FleetContext['zones'], selfId: string | null): FieldIssue[] {
  const clash = zones.find((z) => z.id !== selfId && sameName(z.name, draft.name));
  return clash ? [{ field: 'name', message: `A zone named "${clash.name}" already exists.`, conflict: true }] : [];
}

export function clusterIssues(draft: ClusterDraft, clusters: FleetContext['clusters'], selfId: string | null): FieldIssue[] {
  const clash = clusters.find((c) => c.id !== selfId && sameName(c.name, draft.name));
  return clash ? [{ field: 'name', message: `A cluster named "${clash.name}" already exists.`, conflict: true }] : [];
}

export function rtpIssues(
  draft: RtpDraft,
  rtp: ReadonlyArray<{ id: string; ip: string; alias: string }>,
  zones: FleetContext['zones'],
  selfId: string | null,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const others = rtp.filter((r) => r.id !== selfId);
  const ip = canonicalIp(draft.ip);
  if (ip === null) issues.push({ field: 'ip', message: `${draft.ip.trim()} is not an IP address (IPv4 or IPv6).` });
  else if (others.some((r) => r.ip === ip))
    issues.push({ field: 'ip', message: `RTP server IP ${ip} is already in the list.`, conflict: true });
  const aliasClash = others.find((r) => sameName(r.alias, draft.alias));
  if (aliasClash)
    issues.push({ field: 'alias', message: `Alias "${draft.alias}" is already used by RTP server ${aliasClash.ip}.`, conflict: true });
  if (!zones.some((z) => z.id === draft.zoneId)) issues.push({ field: 'zoneId', message: 'Choose a zone that exists.' });
  return issues;
}
