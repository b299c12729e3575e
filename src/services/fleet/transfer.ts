import type { FleetFormat, ImportSummary, ServerDraft } from '../../contract/fleet';
import { importPlace, refuseImportRecord } from '../../domain/fleet-file/import-problem';
import type { FieldIssue } from '../../domain/errors';
import { csvColumnFor, formatFleetCsv, parseFleetCsv } from '../../domain/fleet-file/csv';
import { formatFleetJson, parseFleetJson, type FleetExport } from '../../domain/fleet-file/json';
import type { FileUacUpstream, FleetRecords } from '../../domain/fleet-file/records';
import { upstreamIssues } from '../../domain/uac/upstream';
import { defaultSsh } from '../../domain/fleet/defaults';
import { canonicalIp } from '../../domain/fleet/ip';
import { normalizeServerDraft, rtpIssues, serverIssues } from '../../domain/fleet/rules';
import type { StoredServer } from '../store/servers-repo';
import { newId, type FleetDeps } from './context';
import { importContext } from './import-context';

/** Field names as the file spells them: ids become names, and CSV uses its column names. */
function fileField(field: string, format: FleetFormat): string {
  const path = field
    .replace(/^clusterId$/, 'cluster')
    .replace(/^zoneId$/, 'zone')
    .replace(/^config\.capacityFailover\.targetId$/, 'config.capacityFailover.target');
  return format === 'csv' ? csvColumnFor(path) : path;
}

function refuseRecord(issues: FieldIssue[], label: string, row: number, format: FleetFormat): void {
  refuseImportRecord(issues, importPlace(format, row, label), row, (field) => fileField(field, format));
}

export function createTransferService({ store, clock, emit }: FleetDeps, defaultSshUser: () => string) {
  /** A server's UAC Auth upstreams from a file: checked like the form's, stored without passwords. */
  function importUpstreams(
    server: StoredServer,
    upstreams: readonly FileUacUpstream[],
    label: string,
    row: number,
    format: FleetFormat,
  ): void {
    if (upstreams.length === 0) return;
    refuseRecord(
      upstreams.flatMap((u, i) =>
        upstreamIssues(u, i).map((issue) => ({ ...issue, field: issue.field.replace(/^upstreams/, 'uacUpstreams') })),
      ),
      label,
      row,
      format,
    );
    store.uac.replaceUpstreams(
      server.id,
      upstreams.map((u) => ({ id: newId(), registrar: u.registrar, username: u.username, expiry: u.expiry })),
      clock(),
    );
  }

  /** Applies parsed records atomically: any refused record rolls back everything. */
  function apply(records: FleetRecords, format: FleetFormat): ImportSummary {
    const before = { zones: store.zones.list().length, clusters: store.clusters.list().length };
    const summary = store.transaction(() => {
      // Read once, kept current row by row: each row's checks are lookups, not scans of the fleet.
      const ctx = importContext(store, clock);
      const ensureGroup = ctx.group;
      for (const z of records.zones) ensureGroup('zones', z.name, z.description);
      for (const c of records.clusters) ensureGroup('clusters', c.name, c.description);
      const inserted: { record: FleetRecords['servers'][number]; server: StoredServer }[] = [];
      for (const record of records.servers) {
        const s = record.server;
        const now = clock();
        const draft: ServerDraft = normalizeServerDraft({
          ip: s.ip,
          alias: s.alias,
          type: s.type,
          clusterId: s.cluster ? ensureGroup('clusters', s.cluster) : null,
          zoneId: ensureGroup('zones', s.zone),
          channels: s.channels,
          cps: s.cps,
          expiresAt: s.expires,
          adminState: s.adminState,
          config: { ...s.config, capacityFailover: { enabled: false, targetId: null } },
          ssh: { ...defaultSsh(defaultSshUser()), ...s.ssh, user: s.ssh.user ?? defaultSshUser() },
        });
        refuseRecord(serverIssues(draft, ctx.fleet, null), record.label, record.row, format);
        const server: StoredServer = {
          ...draft,
          id: newId(),
          installRecommended: s.installRecommended,
          updatePending: s.updatePending,
          createdAt: now,
          updatedAt: now,
        };
        store.servers.insert(server);
        ctx.added(server);
        importUpstreams(server, s.uacUpstreams, record.label, record.row, format);
        inserted.push({ record, server });
      }
      // Failover targets may name servers further down the file, so they are resolved last.
      for (const { record, server } of inserted) {
        const failover = record.server.config.capacityFailover;
        if (!failover.enabled) continue;
        const target = failover.target ? ctx.serverNamed(failover.target) : undefined;
        const draft = { ...server, config: { ...server.config, capacityFailover: { enabled: true, targetId: target?.id ?? null } } };
        const issues = serverIssues(draft, ctx.fleet, server.id);
        if (!target && failover.target)
          issues.unshift({ field: 'config.capacityFailover.targetId', message: `No server with alias or IP "${failover.target}".` });
        refuseRecord(issues, record.label, record.row, format);
        store.servers.update(draft);
      }
      for (const { row, label, rtp } of records.rtpServers) {
        const draft = { ip: rtp.ip, alias: rtp.alias, zoneId: ensureGroup('zones', rtp.zone) };
        refuseRecord(rtpIssues(draft, store.rtp.list(), store.zones.list(), null), label, row, format);
        store.rtp.insert({ ...draft, ip: canonicalIp(draft.ip) ?? draft.ip, id: newId() }, clock());
      }
      // Media zones name zones whose RTP servers may be further down the file: resolved last.
      const zones = store.zones.list();
      const rtpZones = new Set(store.rtp.list().map((r) => r.zoneId));
      for (const { record, server } of inserted) {
        const wanted = record.server.mediaZone;
        if (wanted === null || wanted === '') continue;
        const zone = zones.find((z) => z.name.toLowerCase() === wanted.toLowerCase());
        const message =
          zone === undefined
            ? `No zone is named "${wanted}"; a media zone must be a zone with RTP servers (or empty for automatic).`
            : rtpZones.has(zone.id)
              ? null
              : `Zone ${zone.name} has no RTP servers, so media for ${server.alias} cannot go there; add its RTP servers to the file or leave the media zone empty (automatic).`;
        if (message !== null) refuseRecord([{ field: 'mediaZone', message }], record.label, record.row, format);
        else if (zone !== undefined) store.media.setZone(server.id, zone.id);
      }
      return {
        zones: store.zones.list().length - before.zones,
        clusters: store.clusters.list().length - before.clusters,
        servers: inserted.length,
        rtpServers: records.rtpServers.length,
      };
    });
    emit('all');
    return summary;
  }

  function snapshot(): FleetExport {
    const zones = store.zones.list();
    const clusters = store.clusters.list();
    const servers = store.servers.list();
    const mediaZones = new Map(store.media.zones().map((m) => [m.serverId, m.zoneId]));
    const nameOf = (list: { id: string; name: string }[], id: string | null) => list.find((g) => g.id === id)?.name ?? null;
    return {
      zones: zones.map(({ name, description }) => ({ name, description })),
      clusters: clusters.map(({ name, description }) => ({ name, description })),
      servers: servers.map((s) => ({
        ip: s.ip,
        alias: s.alias,
        type: s.type,
        cluster: nameOf(clusters, s.clusterId),
        zone: nameOf(zones, s.zoneId) ?? '',
        channels: s.channels,
        cps: s.cps,
        expires: s.expiresAt,
        adminState: s.adminState,
        installRecommended: s.installRecommended,
        updatePending: s.updatePending,
        config: {
          ...s.config,
          capacityFailover: {
            enabled: s.config.capacityFailover.enabled,
            target: servers.find((t) => t.id === s.config.capacityFailover.targetId)?.alias ?? null,
          },
        },
        ssh: s.ssh,
        uacUpstreams: store.uac.upstreams(s.id).map(({ registrar, username, expiry }) => ({ registrar, username, expiry })),
        mediaZone: nameOf(zones, mediaZones.get(s.id) ?? null),
      })),
      rtpServers: store.rtp.list().map((r) => ({ ip: r.ip, alias: r.alias, zone: nameOf(zones, r.zoneId) ?? '' })),
    };
  }

  return {
    importText(format: FleetFormat, text: string): ImportSummary {
      return apply(format === 'json' ? parseFleetJson(text) : parseFleetCsv(text), format);
    },
    exportText(format: FleetFormat): { text: string; fileName: string } {
      const now = clock();
      const stamp = new Date(now).toISOString().slice(0, 16).replace(/[:T]/g, '-');
      const fleet = snapshot();
      return format === 'json'
        ? { text: formatFleetJson(fleet, now), fileName: `switchyard-fleet-${stamp}.json` }
        : { text: formatFleetCsv(fleet), fileName: `switchyard-fleet-${stamp}.csv` };
    },
  };
}
