// What changed between two pictures of the fleet. Servers and RTP servers are matched by IP (the
// one identity that survives a re-import on another workstation), clusters and zones by name;
// references between them (a server's cluster, zone, failover target) are compared by name too,
// so two snapshots of fleets with different internal ids still compare field by field.
import type { ServerDraft } from '../../contract/fleet';

export type Scalar = string | number | boolean | null;

export interface FieldChange {
  field: string;
  old: Scalar;
  new: Scalar;
}

export interface PictureServer extends ServerDraft {
  id: string;
  installRecommended: boolean;
  updatePending: boolean;
}

interface Bookkeeping {
  createdAt?: number;
  updatedAt?: number;
  status?: string;
}

export interface PictureGroup {
  id: string;
  name: string;
  description: string;
}

export interface PictureRtp {
  ip: string;
  alias: string;
  zoneId: string;
}

export interface FleetPicture {
  servers: readonly PictureServer[];
  clusters: readonly PictureGroup[];
  zones: readonly PictureGroup[];
  rtp: readonly PictureRtp[];
}

export interface KeyedChange<K extends string> {
  added: ({ [P in K]: string } & { label: string })[];
  removed: ({ [P in K]: string } & { label: string })[];
  changed: ({ [P in K]: string } & { label: string; fields: FieldChange[] })[];
}

export interface FleetDiff {
  servers: KeyedChange<'ip'>;
  clusters: KeyedChange<'name'>;
  zones: KeyedChange<'name'>;
  rtp: KeyedChange<'ip'>;
}

export function diffFleets(a: FleetPicture, b: FleetPicture): FleetDiff {
  return {
    servers: diffKeyed('ip', serverRecords(a), serverRecords(b)),
    clusters: diffKeyed('name', groupRecords(a.clusters), groupRecords(b.clusters)),
    zones: diffKeyed('name', groupRecords(a.zones), groupRecords(b.zones)),
    rtp: diffKeyed('ip', rtpRecords(a), rtpRecords(b)),
  };
}

/** True when nothing in the inventory differs. */
export function isEmptyDiff(diff: FleetDiff): boolean {
  return Object.values(diff).every((d: KeyedChange<string>) => d.added.length + d.removed.length + d.changed.length === 0);
}

export interface Keyed {
  key: string;
  label: string;
  fields: Record<string, Scalar>;
}

export function diffKeyed<K extends string>(keyName: K, before: Keyed[], after: Keyed[]): KeyedChange<K> {
  const old = new Map(before.map((r) => [r.key, r]));
  const now = new Map(after.map((r) => [r.key, r]));
  const entry = (r: Keyed) => ({ [keyName]: r.key, label: r.label }) as { [P in K]: string } & { label: string };
  const out: KeyedChange<K> = { added: [], removed: [], changed: [] };
  for (const r of after) if (!old.has(r.key)) out.added.push(entry(r));
  for (const r of before) if (!now.has(r.key)) out.removed.push(entry(r));
  for (const r of after) {
    const prev = old.get(r.key);
    if (prev === undefined) continue;
    const fields = changedFields(prev.fields, r.fields);
    if (fields.length > 0) out.changed.push({ ...entry(r), fields });
  }
  const byKey = (x: { [P in K]: string }, y: { [P in K]: string }) => compareKeys(x[keyName], y[keyName]);
  out.added.sort(byKey);
  out.removed.sort(byKey);
  out.changed.sort(byKey);
  return out;
}

function changedFields(a: Record<string, Scalar>, b: Record<string, Scalar>): FieldChange[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: FieldChange[] = [];
  for (const field of names) {
    const before = a[field] ?? null;
    const after = b[field] ?? null;
    if (before !== after) out.push({ field, old: before, new: after });
  }
  return out;
}

function serverRecords(p: FleetPicture): Keyed[] {
  const cluster = new Map(p.clusters.map((c) => [c.id, c.name]));
  const zone = new Map(p.zones.map((z) => [z.id, z.name]));
  const alias = new Map(p.servers.map((s) => [s.id, s.alias]));
  return p.servers.map((s) => {
    // Bookkeeping (ids, timestamps, derived status) is not part of what an engineer changed.
    const { id: _id, clusterId, zoneId, config, createdAt: _c, updatedAt: _u, status: _s, ...rest } = s as PictureServer & Bookkeeping;
    const { capacityFailover, ...settings } = config;
    const fields = flatten({
      ...rest,
      cluster: clusterId === null ? null : (cluster.get(clusterId) ?? clusterId),
      zone: zone.get(zoneId) ?? zoneId,
      config: {
        ...settings,
        capacityFailover: {
          enabled: capacityFailover.enabled,
          target: capacityFailover.targetId === null ? null : (alias.get(capacityFailover.targetId) ?? capacityFailover.targetId),
        },
      },
    });
    return { key: s.ip, label: s.alias, fields };
  });
}

function groupRecords(groups: readonly PictureGroup[]): Keyed[] {
  return groups.map((g) => ({ key: g.name, label: g.name, fields: { description: g.description } }));
}

function rtpRecords(p: FleetPicture): Keyed[] {
  const zone = new Map(p.zones.map((z) => [z.id, z.name]));
  return p.rtp.map((r) => ({ key: r.ip, label: r.alias, fields: { alias: r.alias, zone: zone.get(r.zoneId) ?? r.zoneId } }));
}

/** Nested settings become dotted paths (`config.ports.udp`), so a change names its exact field. */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [name, v] of Object.entries(value)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, path));
    else if (Array.isArray(v)) out[path] = JSON.stringify(v);
    else if (v === undefined) out[path] = null;
    else out[path] = v as Scalar;
  }
  return out;
}

/** IPs sort by their numbers where they are dotted quads, names alphabetically. */
function compareKeys(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
