import type { AcmeCertificate, AcmeChallenge, CertInstall, DomainCheck } from '../../contract/cert-deploy-methods';
import type { Db } from './database';

// Certificates on the servers: the last install, the last check per SNI domain, ACME's settings and
// each server's ACME certificate. No key material is ever written here.

interface InstallRow {
  server_id: string;
  state: CertInstall['state'];
  step: string;
  message: string;
  notes: string;
  tls_config: string | null;
  started_at: number;
  finished_at: number | null;
}
interface CheckRow {
  server_id: string;
  domain: string;
  certificate_id: string | null;
  expected_name: string;
  expected_fingerprint: string;
  served_fingerprint: string | null;
  served_subject: string | null;
  outcome: DomainCheck['outcome'];
  message: string;
  checked_at: number;
}
interface AcmeRow {
  server_id: string;
  domain: string;
  challenge: AcmeChallenge;
  state: AcmeCertificate['state'];
  message: string;
  certificate_id: string | null;
  requested_at: number;
  finished_at: number | null;
  not_after: number | null;
}

export interface AcmeSettingsRecord {
  directoryUrl: string;
  email: string | null;
  caPem: string | null;
  dnsHook: string | null;
  accountUrl: string | null;
}

export type AcmeRecord = Omit<AcmeCertificate, 'renewAt'>;

const install = (r: InstallRow): CertInstall => ({
  serverId: r.server_id,
  state: r.state,
  step: r.step,
  message: r.message,
  notes: JSON.parse(r.notes) as string[],
  tlsConfig: r.tls_config,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});
const check = (r: CheckRow): DomainCheck => ({
  serverId: r.server_id,
  domain: r.domain === '' ? null : r.domain,
  certificateId: r.certificate_id,
  expectedName: r.expected_name,
  expectedFingerprint: r.expected_fingerprint,
  servedFingerprint: r.served_fingerprint,
  servedSubject: r.served_subject,
  outcome: r.outcome,
  message: r.message,
  checkedAt: r.checked_at,
});
const acme = (r: AcmeRow): AcmeRecord => ({
  serverId: r.server_id,
  domain: r.domain,
  challenge: r.challenge,
  state: r.state,
  message: r.message,
  certificateId: r.certificate_id,
  notAfter: r.not_after,
  requestedAt: r.requested_at,
  finishedAt: r.finished_at,
});

const ACME_SELECT = `SELECT a.*, c.not_after FROM acme_certificates a LEFT JOIN certificates c ON c.id = a.certificate_id`;

export function createCertDeployRepo(db: Db) {
  const putInstall = db.prepare(
    `INSERT INTO certificate_installs (server_id, state, step, message, notes, tls_config, started_at, finished_at)
     VALUES (@serverId, @state, @step, @message, @notes, @tlsConfig, @startedAt, @finishedAt)
     ON CONFLICT(server_id) DO UPDATE SET state = excluded.state, step = excluded.step, message = excluded.message, notes = excluded.notes,
       tls_config = coalesce(excluded.tls_config, certificate_installs.tls_config), started_at = excluded.started_at, finished_at = excluded.finished_at`,
  );
  const getInstall = db.prepare('SELECT * FROM certificate_installs WHERE server_id = ?');
  const clearChecks = db.prepare('DELETE FROM certificate_checks WHERE server_id = ?');
  const putCheck = db.prepare(
    `INSERT INTO certificate_checks (server_id, domain, certificate_id, expected_name, expected_fingerprint, served_fingerprint, served_subject, outcome, message, checked_at)
     VALUES (@serverId, @domain, @certificateId, @expectedName, @expectedFingerprint, @servedFingerprint, @servedSubject, @outcome, @message, @checkedAt)`,
  );
  const checksOf = db.prepare("SELECT * FROM certificate_checks WHERE server_id = ? ORDER BY domain = '', domain");
  const serversWithAny = db.prepare(
    `SELECT server_id FROM server_certificates UNION SELECT server_id FROM certificate_installs UNION SELECT server_id FROM certificate_checks`,
  );
  const settings = db.prepare('SELECT directory_url, email, ca_pem, dns_hook, account_url FROM acme_settings WHERE id = 1');
  const saveSettings = db.prepare(
    `UPDATE acme_settings SET directory_url = @directoryUrl, email = @email, ca_pem = @caPem, dns_hook = @dnsHook,
       account_url = CASE WHEN directory_url = @directoryUrl THEN account_url ELSE NULL END WHERE id = 1`,
  );
  const saveAccountUrl = db.prepare('UPDATE acme_settings SET account_url = ? WHERE id = 1');
  const putAcme = db.prepare(
    `INSERT INTO acme_certificates (server_id, domain, challenge, state, message, certificate_id, requested_at, finished_at)
     VALUES (@serverId, @domain, @challenge, @state, @message, @certificateId, @requestedAt, @finishedAt)
     ON CONFLICT(server_id) DO UPDATE SET domain = excluded.domain, challenge = excluded.challenge, state = excluded.state, message = excluded.message,
       certificate_id = coalesce(excluded.certificate_id, acme_certificates.certificate_id), requested_at = excluded.requested_at, finished_at = excluded.finished_at`,
  );
  const acmeAll = db.prepare(`${ACME_SELECT} ORDER BY a.domain`);
  const acmeOne = db.prepare(`${ACME_SELECT} WHERE a.server_id = ?`);

  return {
    saveInstall(record: CertInstall): void {
      putInstall.run({ ...record, notes: JSON.stringify(record.notes) });
    },
    install(serverId: string): CertInstall | null {
      const row = getInstall.get(serverId) as InstallRow | undefined;
      return row ? install(row) : null;
    },
    /** Replaces the server's check results with this run's, in one transaction. */
    replaceChecks(serverId: string, checks: readonly DomainCheck[]): void {
      db.transaction(() => {
        clearChecks.run(serverId);
        for (const c of checks) putCheck.run({ ...c, domain: c.domain ?? '' });
      })();
    },
    checks(serverId: string): DomainCheck[] {
      return (checksOf.all(serverId) as CheckRow[]).map(check);
    },
    serverIds(): string[] {
      return (serversWithAny.all() as { server_id: string }[]).map((r) => r.server_id);
    },
    acmeSettings(): AcmeSettingsRecord {
      const r = settings.get() as {
        directory_url: string;
        email: string | null;
        ca_pem: string | null;
        dns_hook: string | null;
        account_url: string | null;
      };
      return { directoryUrl: r.directory_url, email: r.email, caPem: r.ca_pem, dnsHook: r.dns_hook, accountUrl: r.account_url };
    },
    /** A new directory forgets the account URL (an account belongs to one ACME server). */
    saveAcmeSettings(s: Omit<AcmeSettingsRecord, 'accountUrl'>): void {
      saveSettings.run(s);
    },
    saveAccountUrl(url: string | null): void {
      saveAccountUrl.run(url);
    },
    saveAcme(record: Omit<AcmeRecord, 'notAfter'>): void {
      putAcme.run(record);
    },
    acmeList(): AcmeRecord[] {
      return (acmeAll.all() as AcmeRow[]).map(acme);
    },
    acme(serverId: string): AcmeRecord | null {
      const row = acmeOne.get(serverId) as AcmeRow | undefined;
      return row ? acme(row) : null;
    },
  };
}

export type CertDeployRepo = ReturnType<typeof createCertDeployRepo>;
