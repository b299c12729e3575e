import path from 'node:path';
import { createApibanRepo } from './apiban-repo';
import { createCertificatesRepo } from './certificates-repo';
import { createCertDeployRepo } from './cert-deploy-repo';
import { openDatabase, type Db } from './database';
import { createPrivateDir, createPrivateFile } from './file-modes';
import { createClustersRepo, createZonesRepo } from './groups-repo';
import { LATEST_VERSION, migrate, type MigrateResult } from './migrate';
import { createRtpRepo } from './rtp-repo';
import { createVantageRepo } from './vantage-repo';
import { createSamplesRepo, type RetentionPolicy } from './samples-repo';
import { createServersRepo } from './servers-repo';
import { createSettingsRepo } from './settings-repo';
import { schemaVersionOf } from './snapshot-file';
import { createStatusEventsRepo } from './status-events-repo';
import { createToolRunsRepo } from './tool-runs-repo';
import { createActionRunsRepo } from './action-runs-repo';
import { createServerLoadRepo } from './server-load-repo';
import { createServerActionsRepo } from './server-actions-repo';
import { createDispatcherViewsRepo } from './dispatcher-views-repo';
import { createAlertRulesRepo } from './alert-rules-repo';
import { createAlertsRepo } from './alerts-repo';
import { createAlertChannelsRepo } from './alert-channels-repo';
import { createAlertDeliveriesRepo } from './alert-deliveries-repo';
import { createHoldsRepo } from './holds-repo';
import { createUacRepo } from './uac-repo';
import { createMediaRepo } from './media-repo';
import { createAccountsRepo } from './accounts-repo';
import { createAuditRepo } from './audit-repo';

export interface StoreOptions {
  file: string;
  nativeBinding?: string;
  now?: () => number;
  /** How long raw samples and rollups are kept (defaults: raw 48 h, minutes 14 d, hours a year). */
  retention?: Partial<RetentionPolicy>;
  /** Open without writing anything (a snapshot): no migration, and SQLite refuses every write. */
  readonly?: boolean;
}

/**
 * The one door to SQLite. Other services call these repositories, named for what they do, and
 * never write SQL themselves (so the store can move to PostgreSQL later without touching them).
 */
export function openStore(options: StoreOptions) {
  const readonly = options.readonly === true;
  if (!readonly && options.file !== ':memory:') {
    // Private from the first byte: the folder 0700, the database 0600 (its WAL and -shm follow it).
    createPrivateDir(path.dirname(options.file));
    createPrivateFile(options.file);
  }
  const db = openDatabase(options.file, { readonly, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  let migration: MigrateResult;
  try {
    migration = readonly ? currentSchema(db) : migrate(db, options.file, options.now ?? Date.now);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    file: options.file,
    migration,
    zones: createZonesRepo(db),
    clusters: createClustersRepo(db),
    servers: createServersRepo(db),
    rtp: createRtpRepo(db),
    settings: createSettingsRepo(db),
    // After migrate: the samples repository switches the file to incremental vacuum once.
    samples: createSamplesRepo(db, { now: options.now ?? Date.now, ...(options.retention ? { retention: options.retention } : {}) }),
    toolRuns: createToolRunsRepo(db),
    certificates: createCertificatesRepo(db),
    certDeploy: createCertDeployRepo(db),
    apiban: createApibanRepo(db),
    actionRuns: createActionRunsRepo(db),
    serverLoad: createServerLoadRepo(db),
    /** Install commands, out-of-band power methods and pending resizes. */
    serverActions: createServerActionsRepo(db),
    dispatcherViews: createDispatcherViewsRepo(db),
    statusEvents: createStatusEventsRepo(db),
    alertRules: createAlertRulesRepo(db),
    alerts: createAlertsRepo(db),
    alertChannels: createAlertChannelsRepo(db),
    alertDeliveries: createAlertDeliveriesRepo(db),
    holds: createHoldsRepo(db),
    /** UAC Auth: upstream registrations per server and their last read state. */
    uac: createUacRepo(db),
    /** Media zones of servers, SSH to RTP servers, Media path measurements. */
    media: createMediaRepo(db),
    /** Vantage points: settings and the streams' last stated state. */
    vantage: createVantageRepo(db),
    /** Team accounts: names, roles, password hashes (never copied into snapshots). */
    accounts: createAccountsRepo(db),
    /** Who did what: sign-ins, account changes, runs, silences, acknowledgements, changes. */
    audit: createAuditRepo(db),
    /** Runs `fn` atomically: everything it wrote, or nothing. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    /** For integrity checks and tests; services use the repositories. */
    get db(): Db {
      return db;
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;

/** A read-only store cannot migrate: it must already be at this build's schema. */
function currentSchema(db: Db): MigrateResult {
  const version = schemaVersionOf(db);
  if (version === null || version !== LATEST_VERSION) {
    throw new Error(`A read-only store needs schema version ${LATEST_VERSION}; this file has ${version ?? 'none'}.`);
  }
  return { from: version, to: version, backup: null };
}
