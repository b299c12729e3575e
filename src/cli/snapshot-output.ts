// Plain-text renderings of snapshot metadata and of a comparison, for a terminal.
import type { StoreComparison } from '../services/snapshots/compare';
import type { SnapshotMetaRecord } from '../services/store/snapshot-file';

export function metaText(meta: SnapshotMetaRecord): string {
  const c = meta.counts;
  return [
    `Taken:    ${new Date(meta.takenAt).toISOString()}`,
    `By:       ${meta.savedBy ?? 'not recorded'}`,
    `Version:  Switchyard ${meta.appVersion} (schema version ${meta.schemaVersion})`,
    `Note:     ${meta.note === '' ? '—' : meta.note}`,
    `Holds:    ${c.servers} server(s), ${c.clusters} cluster(s), ${c.zones} zone(s), ${c.rtpServers} RTP server(s)`,
    `History:  ${c.samples} probe sample(s), ${c.toolRuns} tool run(s), ${c.actionRuns} action run(s)`,
    '',
  ].join('\n');
}

export function diffText(d: StoreComparison): string {
  const lines = [
    `A: ${d.a.label} (${new Date(d.a.takenAt).toISOString()})`,
    `B: ${d.b.label} (${new Date(d.b.takenAt).toISOString()})`,
    '',
  ];
  const section = (
    title: string,
    part: {
      added: { label: string }[];
      removed: { label: string }[];
      changed: { label: string; fields: { field: string; old: unknown; new: unknown }[] }[];
    },
    key: (x: object) => string,
  ) => {
    if (part.added.length + part.removed.length + part.changed.length === 0) return;
    lines.push(`${title}:`);
    for (const x of part.added) lines.push(`  + ${key(x)} ${x.label}`);
    for (const x of part.removed) lines.push(`  - ${key(x)} ${x.label}`);
    for (const x of part.changed) {
      lines.push(`  ~ ${key(x)} ${x.label}`);
      for (const f of x.fields) lines.push(`      ${f.field}: ${JSON.stringify(f.old)} → ${JSON.stringify(f.new)}`);
    }
  };
  const ip = (x: object) => ('ip' in x ? String(x.ip) : '');
  const name = (x: object) => ('name' in x ? String(x.name) : '');
  const fingerprint = (x: object) => ('fingerprint' in x ? String(x.fingerprint) : '');
  section('Servers', d.servers, ip);
  section('Clusters', d.clusters, name);
  section('Zones', d.zones, name);
  section('RTP servers', d.rtp, ip);
  section('Certificates', d.certificates, fingerprint);
  if (d.runs.length > 0) {
    lines.push('Runs in between:');
    for (const r of d.runs) lines.push(`  ${new Date(r.startedAt).toISOString()}  ${r.kind}  ${r.label}  (${r.status})`);
  }
  if (lines.length === 3) lines.push('No differences.');
  // Said after the result, so "No differences." never hides that one side could not be compared.
  for (const note of d.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
