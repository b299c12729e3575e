import type { AdminState, ServerDraft, ServerRow, ServerType } from '../../contract/fleet';
import type { Db } from './database';

/** A server as stored: the draft plus bookkeeping; status is derived by the caller. */
export interface StoredServer extends ServerDraft {
  id: string;
  installRecommended: boolean;
  updatePending: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What the fleet table shows of a stored server: its row (see ServerRow) before a status is given. */
export type StoredServerRow = Omit<ServerRow, 'status'>;

interface Row {
  id: string;
  ip: string;
  alias: string;
  type: ServerType;
  cluster_id: string | null;
  zone_id: string;
  channels: number;
  cps: number;
  expires_at: number | null;
  admin_state: AdminState;
  install_recommended: number;
  update_pending: number;
  term_ingress: number;
  term_egress: number;
  orig_ingress: number;
  orig_egress: number;
  uac_auth: number;
  webrtc_tls: number;
  fqdn: string | null;
  auto_upgrade: number;
  disable_uac_ping: number;
  uac_location_sharing: number;
  tls_internals: number;
  restrict_direct: number;
  tcp_sip_trace: number;
  any_reg: number;
  processing_zone: string | null;
  udp_port: number;
  tcp_port: number;
  tls_port: number;
  failover_enabled: number;
  failover_target_id: string | null;
  ssh_host: string | null;
  ssh_port: number;
  ssh_user: string;
  ssh_auth: 'agent' | 'key' | 'password';
  ssh_key_path: string | null;
  ssh_jump_host: string | null;
  tls_pin: string | null;
  created_at: number;
  updated_at: number;
}

const b = (v: number) => v !== 0;
const n = (v: boolean) => (v ? 1 : 0);

/** One column of a stored row, read from whatever shape the driver returned it in. */
type ColumnOf = <K extends keyof Row>(column: K) => Row[K];

function fromRow(r: ColumnOf): StoredServer {
  return {
    id: r('id'),
    ip: r('ip'),
    alias: r('alias'),
    type: r('type'),
    clusterId: r('cluster_id'),
    zoneId: r('zone_id'),
    channels: r('channels'),
    cps: r('cps'),
    expiresAt: r('expires_at'),
    adminState: r('admin_state'),
    installRecommended: b(r('install_recommended')),
    updatePending: b(r('update_pending')),
    config: {
      interconnect: {
        terminationIngress: b(r('term_ingress')),
        terminationEgress: b(r('term_egress')),
        originationIngress: b(r('orig_ingress')),
        originationEgress: b(r('orig_egress')),
      },
      uacAuth: b(r('uac_auth')),
      webrtcTls: b(r('webrtc_tls')),
      fqdn: r('fqdn'),
      autoUpgrade: b(r('auto_upgrade')),
      disableUacPing: b(r('disable_uac_ping')),
      uacLocationSharing: b(r('uac_location_sharing')),
      tlsInternals: b(r('tls_internals')),
      restrictDirect: b(r('restrict_direct')),
      tcpSipTrace: b(r('tcp_sip_trace')),
      anyReg: b(r('any_reg')),
      processingZone: r('processing_zone'),
      ports: { udp: r('udp_port'), tcp: r('tcp_port'), tls: r('tls_port') },
      capacityFailover: { enabled: b(r('failover_enabled')), targetId: r('failover_target_id') },
      tlsPin: r('tls_pin'),
    },
    ssh: {
      host: r('ssh_host'),
      port: r('ssh_port'),
      user: r('ssh_user'),
      auth: r('ssh_auth'),
      keyPath: r('ssh_key_path'),
      jumpHost: r('ssh_jump_host'),
    },
    createdAt: r('created_at'),
    updatedAt: r('updated_at'),
  };
}

function toRow(s: StoredServer): Row {
  const c = s.config;
  return {
    id: s.id,
    ip: s.ip,
    alias: s.alias,
    type: s.type,
    cluster_id: s.clusterId,
    zone_id: s.zoneId,
    channels: s.channels,
    cps: s.cps,
    expires_at: s.expiresAt,
    admin_state: s.adminState,
    install_recommended: n(s.installRecommended),
    update_pending: n(s.updatePending),
    term_ingress: n(c.interconnect.terminationIngress),
    term_egress: n(c.interconnect.terminationEgress),
    orig_ingress: n(c.interconnect.originationIngress),
    orig_egress: n(c.interconnect.originationEgress),
    uac_auth: n(c.uacAuth),
    webrtc_tls: n(c.webrtcTls),
    fqdn: c.fqdn,
    auto_upgrade: n(c.autoUpgrade),
    disable_uac_ping: n(c.disableUacPing),
    uac_location_sharing: n(c.uacLocationSharing),
    tls_internals: n(c.tlsInternals),
    restrict_direct: n(c.restrictDirect),
    tcp_sip_trace: n(c.tcpSipTrace),
    any_reg: n(c.anyReg),
    processing_zone: c.processingZone,
    udp_port: c.ports.udp,
    tcp_port: c.ports.tcp,
    tls_port: c.ports.tls,
    failover_enabled: n(c.capacityFailover.enabled),
    failover_target_id: c.capacityFailover.targetId,
    ssh_host: s.ssh.host,
    ssh_port: s.ssh.port,
    ssh_user: s.ssh.user,
    ssh_auth: s.ssh.auth,
    ssh_key_path: s.ssh.keyPath,
    ssh_jump_host: s.ssh.jumpHost,
    tls_pin: c.tlsPin,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

const COLUMNS = Object.keys(toRowShape()) as (keyof Row)[];
const COLUMN_AT = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<keyof Row, number>;
/**
 * Whole records are read as arrays (better-sqlite3's raw mode), in COLUMNS order: building an
 * object of 41 named properties per row cost about as much as the rest of a fleet listing
 * (10,000 servers: about 240 ms a list), and every screen and poll lists the fleet.
 */
const SELECT_RECORD = `SELECT ${COLUMNS.join(', ')} FROM servers`;
const fromValues = (values: unknown[]): StoredServer => fromRow((c) => values[COLUMN_AT[c]] as Row[typeof c]);
function toRowShape(): Record<keyof Row, true> {
  // Listing the columns once, typed against Row, keeps the INSERT and UPDATE in step with it.
  return {
    id: true,
    ip: true,
    alias: true,
    type: true,
    cluster_id: true,
    zone_id: true,
    channels: true,
    cps: true,
    expires_at: true,
    admin_state: true,
    install_recommended: true,
    update_pending: true,
    term_ingress: true,
    term_egress: true,
    orig_ingress: true,
    orig_egress: true,
    uac_auth: true,
    webrtc_tls: true,
    fqdn: true,
    auto_upgrade: true,
    disable_uac_ping: true,
    uac_location_sharing: true,
    tls_internals: true,
    restrict_direct: true,
    tcp_sip_trace: true,
    any_reg: true,
    processing_zone: true,
    udp_port: true,
    tcp_port: true,
    tls_port: true,
    failover_enabled: true,
    failover_target_id: true,
    ssh_host: true,
    ssh_port: true,
    ssh_user: true,
    ssh_auth: true,
    ssh_key_path: true,
    ssh_jump_host: true,
    tls_pin: true,
    created_at: true,
    updated_at: true,
  };
}

export function createServersRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO servers (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const update = db.prepare(
    `UPDATE servers SET ${COLUMNS.filter((c) => c !== 'id' && c !== 'created_at')
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE id = @id`,
  );
  const records = (where: string) => db.prepare(`${SELECT_RECORD} ${where}`).raw(true);
  const all = records('ORDER BY ip');
  const placeRows = db.prepare('SELECT id, zone_id, cluster_id FROM servers');
  const tableRows = db
    .prepare(
      'SELECT id, ip, alias, type, cluster_id, zone_id, channels, cps, expires_at, admin_state, install_recommended, update_pending, fqdn FROM servers ORDER BY ip',
    )
    .raw(true);
  const sshRows = db.prepare('SELECT id, ip, ssh_host, ssh_port, ssh_user, ssh_auth, ssh_key_path, ssh_jump_host FROM servers ORDER BY ip');
  const one = records('WHERE id = ?');
  const identityOne = db.prepare('SELECT id, alias, ip FROM servers WHERE id = ?');
  const remove = db.prepare('DELETE FROM servers WHERE id = ?');
  const byCluster = records('WHERE cluster_id = ? ORDER BY ip');
  const failoverTo = records('WHERE failover_target_id = ?');

  return {
    list: (): StoredServer[] => (all.all() as unknown[][]).map(fromValues),
    /**
     * What the fleet table shows of every server (its row without the status), in list order,
     * without reading the rest of its record: at 10,000 servers the whole records took about as
     * long again as the rest of the listing.
     */
    tableRows: (): StoredServerRow[] =>
      (tableRows.all() as unknown[][]).map((v) => ({
        id: v[0] as string,
        ip: v[1] as string,
        alias: v[2] as string,
        type: v[3] as ServerType,
        clusterId: v[4] as string | null,
        zoneId: v[5] as string,
        channels: v[6] as number,
        cps: v[7] as number,
        expiresAt: v[8] as number | null,
        adminState: v[9] as AdminState,
        installRecommended: b(v[10] as number),
        updatePending: b(v[11] as number),
        fqdn: v[12] as string | null,
      })),
    /** Every server's zone and cluster by id, without reading the rest of its record. */
    places: (): Map<string, { zoneId: string; clusterId: string | null }> =>
      new Map(
        (placeRows.all() as Pick<Row, 'id' | 'zone_id' | 'cluster_id'>[]).map((r) => [
          r.id,
          { zoneId: r.zone_id, clusterId: r.cluster_id },
        ]),
      ),
    /**
     * Every server's address and SSH settings, in list order, without the rest of its record (the
     * load poll's schedule reads this every 30 s: 10,000 whole records take a tenth of a second or more).
     */
    sshSettings: (): Pick<StoredServer, 'id' | 'ip' | 'ssh'>[] =>
      (
        sshRows.all() as Pick<Row, 'id' | 'ip' | 'ssh_host' | 'ssh_port' | 'ssh_user' | 'ssh_auth' | 'ssh_key_path' | 'ssh_jump_host'>[]
      ).map((r) => ({
        id: r.id,
        ip: r.ip,
        ssh: { host: r.ssh_host, port: r.ssh_port, user: r.ssh_user, auth: r.ssh_auth, keyPath: r.ssh_key_path, jumpHost: r.ssh_jump_host },
      })),
    /** A server's id, alias and address alone: what a line about it names (a whole record is several times the work). */
    identity: (id: string): Pick<StoredServer, 'id' | 'alias' | 'ip'> | null =>
      (identityOne.get(id) as Pick<StoredServer, 'id' | 'alias' | 'ip'> | undefined) ?? null,
    get: (id: string): StoredServer | null => {
      const values = one.get(id) as unknown[] | undefined;
      return values ? fromValues(values) : null;
    },
    inCluster: (clusterId: string): StoredServer[] => (byCluster.all(clusterId) as unknown[][]).map(fromValues),
    /** Servers whose capacity failover points at this one. */
    failingOverTo: (id: string): StoredServer[] => (failoverTo.all(id) as unknown[][]).map(fromValues),
    insert: (server: StoredServer): void => void insert.run(toRow(server)),
    update: (server: StoredServer): void => void update.run(toRow(server)),
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}

export type ServersRepo = ReturnType<typeof createServersRepo>;
