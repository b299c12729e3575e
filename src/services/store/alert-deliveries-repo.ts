// The delivery outbox and its log. A delivery is written before anything is sent and marked sent
// only after the receiver accepted it: a host killed in between sends it again on its next start
// (receivers get its id to drop the repeat), and never records as sent what was not.
import type { DeliveryAttempt, DeliveryOutcome, DeliveryState } from '../../contract/alerts-delivery';
import type { NoticeBatch } from '../../domain/alerts/notice';
import type { Db } from './database';

export type StoredBatch = Omit<NoticeBatch, 'deliveryId'>;

export interface StoredDelivery {
  id: number;
  channelId: number | null;
  channelName: string;
  routeId: number | null;
  test: boolean;
  batch: StoredBatch;
  alertIds: number[];
  summary: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number | null;
  createdAt: number;
  sentAt: number | null;
}

interface Row {
  id: number;
  channel_id: number | null;
  channel_name: string;
  route_id: number | null;
  test: number;
  batch: string;
  alert_ids: string;
  summary: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number | null;
  created_at: number;
  sent_at: number | null;
}

const fromRow = (r: Row): StoredDelivery => ({
  id: r.id,
  channelId: r.channel_id,
  channelName: r.channel_name,
  routeId: r.route_id,
  test: r.test !== 0,
  batch: JSON.parse(r.batch) as StoredBatch,
  alertIds: JSON.parse(r.alert_ids) as number[],
  summary: r.summary,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

interface AttemptRow {
  at: number;
  ok: number;
  status: number | null;
  error: string | null;
  ms: number;
}

const attemptOf = (r: AttemptRow): DeliveryAttempt => ({ at: r.at, ok: r.ok !== 0, status: r.status, error: r.error, ms: r.ms });

export function createAlertDeliveriesRepo(db: Db) {
  const insert =
    db.prepare(`INSERT INTO alert_deliveries (channel_id, channel_name, route_id, test, batch, alert_ids, summary, state, attempts, next_attempt_at, created_at)
    VALUES (@channelId, @channelName, @routeId, @test, @batch, @alertIds, @summary, @state, 0, @nextAttemptAt, @createdAt)`);
  const one = db.prepare('SELECT * FROM alert_deliveries WHERE id = ?');
  const due = db.prepare(
    "SELECT * FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  );
  const nextDue = db.prepare("SELECT min(next_attempt_at) FROM alert_deliveries WHERE state = 'pending'").pluck();
  const interrupted = db.prepare("UPDATE alert_deliveries SET state = 'pending', next_attempt_at = ? WHERE state = 'sending'");
  const begin = db.prepare("UPDATE alert_deliveries SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'");
  const finish = db.prepare('UPDATE alert_deliveries SET state = ?, next_attempt_at = ?, sent_at = ? WHERE id = ?');
  const addAttempt = db.prepare('INSERT INTO alert_delivery_attempts (delivery_id, at, ok, status, error, ms) VALUES (?, ?, ?, ?, ?, ?)');
  const attemptsOf = db.prepare('SELECT at, ok, status, error, ms FROM alert_delivery_attempts WHERE delivery_id = ? ORDER BY at, rowid');
  const list = db.prepare('SELECT * FROM alert_deliveries ORDER BY id DESC LIMIT ?');
  const listOf = db.prepare('SELECT * FROM alert_deliveries WHERE channel_id = ? ORDER BY id DESC LIMIT ?');
  const forAlert = db.prepare(
    'SELECT * FROM alert_deliveries WHERE EXISTS (SELECT 1 FROM json_each(alert_ids) WHERE value = ?) ORDER BY id',
  );
  const lastAttempt =
    db.prepare(`SELECT a.at, a.ok, a.status, a.error, a.ms FROM alert_delivery_attempts a JOIN alert_deliveries d ON d.id = a.delivery_id
    WHERE d.channel_id = ? ORDER BY a.at DESC, a.rowid DESC LIMIT 1`);
  const prune = db.prepare("DELETE FROM alert_deliveries WHERE created_at < ? AND state IN ('sent', 'failed', 'skipped')");

  return {
    insert(d: Omit<StoredDelivery, 'id' | 'attempts' | 'sentAt'>): number {
      return Number(
        insert.run({
          channelId: d.channelId,
          channelName: d.channelName,
          routeId: d.routeId,
          test: d.test ? 1 : 0,
          batch: JSON.stringify(d.batch),
          alertIds: JSON.stringify(d.alertIds),
          summary: d.summary,
          state: d.state,
          nextAttemptAt: d.nextAttemptAt,
          createdAt: d.createdAt,
        }).lastInsertRowid,
      );
    },
    get(id: number): StoredDelivery | null {
      const row = one.get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    due: (now: number, limit: number): StoredDelivery[] => (due.all(now, limit) as Row[]).map(fromRow),
    /** When the next pending delivery is due; null when none is pending. */
    nextDueAt: (): number | null => (nextDue.get() as number | null) ?? null,
    /** Deliveries a killed host left "sending": not known to be delivered, so they go again. */
    recoverInterrupted: (now: number): number => interrupted.run(now).changes,
    /** Marks an attempt as started; false when another worker took it meanwhile. */
    begin: (id: number): boolean => begin.run(id).changes > 0,
    finish(id: number, outcome: DeliveryOutcome, at: number, next: { state: DeliveryState; nextAttemptAt: number | null }): void {
      db.transaction(() => {
        addAttempt.run(id, at, outcome.ok ? 1 : 0, outcome.status, outcome.error, outcome.ms);
        finish.run(next.state, next.nextAttemptAt, next.state === 'sent' ? at : null, id);
      })();
    },
    attempts: (id: number): DeliveryAttempt[] => (attemptsOf.all(id) as AttemptRow[]).map(attemptOf),
    list: (channelId: number | undefined, limit: number): StoredDelivery[] =>
      ((channelId === undefined ? list.all(limit) : listOf.all(channelId, limit)) as Row[]).map(fromRow),
    forAlert: (alertId: number): StoredDelivery[] => (forAlert.all(alertId) as Row[]).map(fromRow),
    lastAttempt(channelId: number): DeliveryAttempt | null {
      const row = lastAttempt.get(channelId) as AttemptRow | undefined;
      return row ? attemptOf(row) : null;
    },
    prune: (cutoff: number): number => prune.run(cutoff).changes,
  };
}

export type AlertDeliveriesRepo = ReturnType<typeof createAlertDeliveriesRepo>;
