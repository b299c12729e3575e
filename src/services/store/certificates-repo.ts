import type { Db } from './database';

export interface CertificateRecord {
  id: string;
  name: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  sans: { dns: string[]; ip: string[] };
  notBefore: number;
  notAfter: number;
  fingerprint256: string;
  chainPem: string;
  chainLength: number;
  hasKey: boolean;
  importedAt: number;
}

export type CertificateSummary = Omit<CertificateRecord, 'chainPem'> & { assignedTo: number };

export interface AssignmentRecord {
  serverId: string;
  certificateId: string;
  certificateName: string;
  type: 'server' | 'client';
  domains: string[];
  assignedAt: number;
}

interface CertRow {
  id: string;
  name: string;
  subject: string;
  issuer: string;
  serial_number: string;
  sans: string;
  not_before: number;
  not_after: number;
  fingerprint256: string;
  chain_pem?: string;
  chain_length: number;
  has_key: number;
  imported_at: number;
  assigned_to?: number;
}

interface AssignmentRow {
  server_id: string;
  certificate_id: string;
  certificate_name: string;
  type: 'server' | 'client';
  domains: string;
  assigned_at: number;
}

const summary = (r: CertRow): CertificateSummary => ({
  id: r.id,
  name: r.name,
  subject: r.subject,
  issuer: r.issuer,
  serialNumber: r.serial_number,
  sans: JSON.parse(r.sans) as CertificateRecord['sans'],
  notBefore: r.not_before,
  notAfter: r.not_after,
  fingerprint256: r.fingerprint256,
  chainLength: r.chain_length,
  hasKey: r.has_key === 1,
  importedAt: r.imported_at,
  assignedTo: r.assigned_to ?? 0,
});

const assignment = (r: AssignmentRow): AssignmentRecord => ({
  serverId: r.server_id,
  certificateId: r.certificate_id,
  certificateName: r.certificate_name,
  type: r.type,
  domains: JSON.parse(r.domains) as string[],
  assignedAt: r.assigned_at,
});

const SUMMARY_COLUMNS = `c.id, c.name, c.subject, c.issuer, c.serial_number, c.sans, c.not_before, c.not_after,
  c.fingerprint256, c.chain_length, c.has_key, c.imported_at,
  (SELECT count(*) FROM server_certificates s WHERE s.certificate_id = c.id) AS assigned_to`;

const ASSIGNMENT_SELECT = `SELECT s.server_id, s.certificate_id, c.name AS certificate_name, s.type, s.domains, s.assigned_at
  FROM server_certificates s JOIN certificates c ON c.id = s.certificate_id`;

/** Certificates and their assignments to servers. */
export function createCertificatesRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO certificates (id, name, subject, issuer, serial_number, sans, not_before, not_after, fingerprint256, chain_pem, chain_length, has_key, imported_at)
     VALUES (@id, @name, @subject, @issuer, @serialNumber, @sans, @notBefore, @notAfter, @fingerprint256, @chainPem, @chainLength, @hasKey, @importedAt)`,
  );
  const list = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM certificates c ORDER BY c.not_after, c.name`);
  const one = db.prepare(`SELECT ${SUMMARY_COLUMNS}, c.chain_pem FROM certificates c WHERE c.id = ?`);
  const byFingerprint = db.prepare('SELECT id FROM certificates WHERE fingerprint256 = ?');
  const remove = db.prepare('DELETE FROM certificates WHERE id = ?');
  const forServer = db.prepare(`${ASSIGNMENT_SELECT} WHERE s.server_id = ? ORDER BY c.name, s.type`);
  const forCert = db.prepare(`${ASSIGNMENT_SELECT} WHERE s.certificate_id = ? ORDER BY s.server_id`);
  const upsertAssignment = db.prepare(
    `INSERT INTO server_certificates (server_id, certificate_id, type, domains, assigned_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(server_id, certificate_id, type) DO UPDATE SET domains = excluded.domains`,
  );
  const removeAssignment = db.prepare('DELETE FROM server_certificates WHERE server_id = ? AND certificate_id = ? AND type = ?');
  const removeAllOf = db.prepare('DELETE FROM server_certificates WHERE certificate_id = ?');

  return {
    insert(record: CertificateRecord): void {
      insert.run({ ...record, sans: JSON.stringify(record.sans), hasKey: record.hasKey ? 1 : 0 });
    },
    list(): CertificateSummary[] {
      return (list.all() as CertRow[]).map(summary);
    },
    get(id: string): (CertificateSummary & { chainPem: string }) | null {
      const row = one.get(id) as CertRow | undefined;
      return row ? { ...summary(row), chainPem: row.chain_pem ?? '' } : null;
    },
    idByFingerprint(fingerprint256: string): string | null {
      return (byFingerprint.get(fingerprint256) as { id: string } | undefined)?.id ?? null;
    },
    delete(id: string): number {
      return remove.run(id).changes;
    },
    assignmentsOfServer(serverId: string): AssignmentRecord[] {
      return (forServer.all(serverId) as AssignmentRow[]).map(assignment);
    },
    assignmentsOfCertificate(certificateId: string): AssignmentRecord[] {
      return (forCert.all(certificateId) as AssignmentRow[]).map(assignment);
    },
    assign(serverId: string, certificateId: string, type: 'server' | 'client', domains: string[], at: number): void {
      upsertAssignment.run(serverId, certificateId, type, JSON.stringify(domains), at);
    },
    unassign(serverId: string, certificateId: string, type: 'server' | 'client'): boolean {
      return removeAssignment.run(serverId, certificateId, type).changes > 0;
    },
    unassignEverywhere(certificateId: string): number {
      return removeAllOf.run(certificateId).changes;
    },
  };
}

export type CertificatesRepo = ReturnType<typeof createCertificatesRepo>;
