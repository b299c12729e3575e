import type { Db } from './database';

// The audit log of server actions. Outputs are stored whole; `get` can return only the tail of
// each (the view's cut), computed in SQL so a 50 MB output is not read to show its last screen.

export type RunStatusValue = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ResultStateValue = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
export type RunOriginValue = 'web' | 'desktop' | 'cli' | 'automatic';

export interface ActionRunRecord {
  id: string;
  action: string;
  label: string;
  params: Record<string, string>;
  options: { canary: boolean; stopOnFailure: boolean; concurrency: number };
  requestedBy: string;
  origin: RunOriginValue;
  startedAt: number;
  endedAt: number | null;
  status: RunStatusValue;
  stoppedBy: string | null;
  /** Who started it: the signed-in account ('local user' at a single-seat console), and from where. */
  account: string;
  address: string | null;
}

/** A new run: account and address default to the console's own user (a run started by the host itself). */
export type NewActionRun = Omit<ActionRunRecord, 'account' | 'address'> & Partial<Pick<ActionRunRecord, 'account' | 'address'>>;

export interface ActionResultRecord {
  position: number;
  serverId: string;
  alias: string;
  ip: string;
  command: string;
  state: ResultStateValue;
  exitCode: number | null;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
  output: string;
  outputLength: number;
}

export interface RunSearch {
  text?: string | undefined;
  action?: string | undefined;
  serverId?: string | undefined;
  status?: RunStatusValue | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
}

interface RunRow {
  id: string;
  action: string;
  label: string;
  params: string;
  options: string;
  requested_by: string;
  origin: RunOriginValue;
  started_at: number;
  ended_at: number | null;
  status: RunStatusValue;
  stopped_by: string | null;
  account: string;
  address: string | null;
}

interface ResultRow {
  run_id: string;
  position: number;
  server_id: string;
  server_alias: string;
  server_ip: string;
  command: string;
  state: ResultStateValue;
  exit_code: number | null;
  error: string | null;
  started_at: number | null;
  ended_at: number | null;
  output: string;
  output_length: number;
}

const runFromRow = (r: RunRow): ActionRunRecord => ({
  id: r.id,
  action: r.action,
  label: r.label,
  params: JSON.parse(r.params) as Record<string, string>,
  options: JSON.parse(r.options) as ActionRunRecord['options'],
  requestedBy: r.requested_by,
  origin: r.origin,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  status: r.status,
  stoppedBy: r.stopped_by,
  account: r.account,
  address: r.address,
});

const resultFromRow = (r: ResultRow): ActionResultRecord => ({
  position: r.position,
  serverId: r.server_id,
  alias: r.server_alias,
  ip: r.server_ip,
  command: r.command,
  state: r.state,
  exitCode: r.exit_code,
  error: r.error,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  output: r.output,
  outputLength: r.output_length,
});

/** LIKE with the user's %, _ and \ taken literally. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createActionRunsRepo(db: Db) {
  const insertRun = db.prepare(
    `INSERT INTO action_runs (id, action, label, params, options, requested_by, origin, started_at, ended_at, status, stopped_by, account, address)
     VALUES (@id, @action, @label, @params, @options, @requestedBy, @origin, @startedAt, @endedAt, @status, @stoppedBy, @account, @address)`,
  );
  const insertResult = db.prepare(
    `INSERT INTO action_results (run_id, position, server_id, server_alias, server_ip, command, state)
     VALUES (?, ?, ?, ?, ?, ?, 'queued')`,
  );
  const finishRun = db.prepare('UPDATE action_runs SET status = ?, ended_at = ?, stopped_by = ? WHERE id = ?');
  const startResult = db.prepare("UPDATE action_results SET state = 'running', started_at = ? WHERE run_id = ? AND position = ?");
  const endResult = db.prepare(
    'UPDATE action_results SET state = ?, exit_code = ?, error = ?, ended_at = ?, output = ? WHERE run_id = ? AND position = ?',
  );
  const setOutput = db.prepare('UPDATE action_results SET output = ? WHERE run_id = ? AND position = ?');
  const setServer = db.prepare('UPDATE action_results SET server_id = ? WHERE run_id = ? AND position = ?');
  const oneRun = db.prepare('SELECT * FROM action_runs WHERE id = ?');
  const resultsOf = db.prepare(
    `SELECT run_id, position, server_id, server_alias, server_ip, command, state, exit_code, error, started_at, ended_at,
            CASE WHEN @limit IS NULL OR length(output) <= @limit THEN output ELSE substr(output, -@limit) END AS output,
            length(output) AS output_length
       FROM action_results WHERE run_id = @runId ORDER BY position`,
  );
  // No index serves it: a scan per scrape, about 30 ms for 100,000 runs (measured); an index on
  // (action, status) would make it cheaper if the log ever grows past that.
  const countsByActionStatus = db.prepare(
    'SELECT action, status, count(*) AS count FROM action_runs GROUP BY action, status ORDER BY action, status',
  );
  const interrupted = db.prepare(
    "UPDATE action_runs SET status = 'failed', ended_at = ?, stopped_by = 'interrupted' WHERE status = 'running'",
  );
  const interruptedResults = db.prepare(
    `UPDATE action_results SET state = CASE state WHEN 'queued' THEN 'skipped' ELSE 'failed' END,
            error = COALESCE(error, 'Switchyard stopped while this server was running; its output up to then is kept.')
      WHERE state IN ('queued', 'running')`,
  );

  const search = (filter: RunSearch): { runs: ActionRunRecord[]; total: number } => {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    const add = (clause: string, name: string, value: string | number | undefined): void => {
      if (value === undefined || value === '') return;
      where.push(clause);
      args[name] = value;
    };
    add('r.action = @action', 'action', filter.action);
    add('r.status = @status', 'status', filter.status);
    add('r.started_at >= @from', 'from', filter.from);
    add('r.started_at <= @to', 'to', filter.to);
    if (filter.serverId) {
      where.push('EXISTS (SELECT 1 FROM action_results s WHERE s.run_id = r.id AND s.server_id = @serverId)');
      args['serverId'] = filter.serverId;
    }
    if (filter.text) {
      // Text matches what an engineer remembers of a run: its action, who ran it, a server, the output.
      where.push(`(r.label LIKE @text ESCAPE '\\' OR r.requested_by LIKE @text ESCAPE '\\' OR r.account LIKE @text ESCAPE '\\' OR r.params LIKE @text ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM action_results s WHERE s.run_id = r.id AND (s.server_alias LIKE @text ESCAPE '\\'
          OR s.server_ip LIKE @text ESCAPE '\\' OR s.output LIKE @text ESCAPE '\\' OR s.error LIKE @text ESCAPE '\\')))`);
      args['text'] = likePattern(filter.text);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (db.prepare(`SELECT count(*) AS n FROM action_runs r ${clause}`).get(args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT r.* FROM action_runs r ${clause} ORDER BY r.started_at DESC, r.rowid DESC LIMIT @limit`)
      .all({ ...args, limit: filter.limit }) as RunRow[];
    return { runs: rows.map(runFromRow), total };
  };

  return {
    /** A new run and its queued servers, in one transaction. */
    create(run: NewActionRun, servers: Pick<ActionResultRecord, 'serverId' | 'alias' | 'ip' | 'command'>[]): void {
      db.transaction(() => {
        insertRun.run({
          ...run,
          account: run.account ?? 'local user',
          address: run.address ?? null,
          params: JSON.stringify(run.params),
          options: JSON.stringify(run.options),
        });
        servers.forEach((s, position) => insertResult.run(run.id, position, s.serverId, s.alias, s.ip, s.command));
      })();
    },
    startResult(runId: string, position: number, at: number): void {
      startResult.run(at, runId, position);
    },
    /** Output written so far, so a crash of the console keeps what the server printed. */
    saveOutput(runId: string, position: number, output: string): void {
      setOutput.run(output, runId, position);
    },
    endResult(
      runId: string,
      position: number,
      end: { state: ResultStateValue; exitCode: number | null; error: string | null; at: number | null; output: string },
    ): void {
      endResult.run(end.state, end.exitCode, end.error, end.at, end.output, runId, position);
    },
    /** A deployed server gets its id only once it joined the fleet; its run then points at it. */
    setResultServer(runId: string, position: number, serverId: string): void {
      setServer.run(serverId, runId, position);
    },
    finish(runId: string, status: RunStatusValue, at: number, stoppedBy: string | null): void {
      finishRun.run(status, at, stoppedBy, runId);
    },
    get(id: string): ActionRunRecord | null {
      const row = oneRun.get(id) as RunRow | undefined;
      return row ? runFromRow(row) : null;
    },
    /** Every server's result; `outputLimit` keeps the last characters of each output only. */
    results(runId: string, outputLimit: number | null = null): ActionResultRecord[] {
      return (resultsOf.all({ runId, limit: outputLimit }) as ResultRow[]).map(resultFromRow);
    },
    search,
    /** How many runs of each action ended (or stand) in each status: the metrics' counters. */
    countByActionStatus(): { action: string; status: RunStatusValue; count: number }[] {
      return countsByActionStatus.all() as { action: string; status: RunStatusValue; count: number }[];
    },
    /** Runs left `running` by a console that stopped: marked failed, partial output kept. */
    closeInterrupted(at: number): number {
      return db.transaction(() => {
        interruptedResults.run();
        return interrupted.run(at).changes;
      })();
    },
  };
}

export type ActionRunsRepo = ReturnType<typeof createActionRunsRepo>;
