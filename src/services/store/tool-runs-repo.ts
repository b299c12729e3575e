import type { Db } from './database';

/** What a history entry holds: a ping or mtr run (live or pasted), or a pasted SIP message. */
export type ToolName = 'ping' | 'mtr' | 'sip';
export type ToolRunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One run in the history. `params` and `result` are stored as JSON; the service owns their shape. */
export interface ToolRunRecord {
  id: string;
  tool: ToolName;
  /** 'local' (this workstation), 'pasted', or the id of the fleet server it ran from. */
  source: string;
  target: string;
  params: unknown;
  startedAt: number;
  endedAt: number | null;
  status: ToolRunStatus;
  rawOutput: string;
  result: unknown;
  error: string | null;
}

export type ToolRunUpdate = Partial<Pick<ToolRunRecord, 'endedAt' | 'status' | 'rawOutput' | 'result' | 'error'>>;

/** The history list: everything but the raw output, which can be large and is read per run. */
export type ToolRunListItem = Omit<ToolRunRecord, 'rawOutput'>;

interface Row {
  id: string;
  tool: ToolName;
  source: string;
  target: string;
  params: string;
  started_at: number;
  ended_at: number | null;
  status: ToolRunStatus;
  raw_output?: string;
  result: string | null;
  error: string | null;
}

const fromRow = (r: Row): ToolRunListItem => ({
  id: r.id,
  tool: r.tool,
  source: r.source,
  target: r.target,
  params: JSON.parse(r.params) as unknown,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  status: r.status,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  error: r.error,
});

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Column of each updatable field; only these names ever reach the SQL text. */
const COLUMNS: Record<keyof ToolRunUpdate, string> = {
  endedAt: 'ended_at',
  status: 'status',
  rawOutput: 'raw_output',
  result: 'result',
  error: 'error',
};

const LIST_COLUMNS = 'id, tool, source, target, params, started_at, ended_at, status, result, error';

export function createToolRunsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO tool_runs (id, tool, source, target, params, started_at, ended_at, status, raw_output, result, error)
     VALUES (@id, @tool, @source, @target, @params, @startedAt, @endedAt, @status, @rawOutput, @result, @error)`,
  );
  const one = db.prepare('SELECT * FROM tool_runs WHERE id = ?');
  const recent = db.prepare(`SELECT ${LIST_COLUMNS} FROM tool_runs ORDER BY started_at DESC, rowid DESC LIMIT ?`);
  const remove = db.prepare('DELETE FROM tool_runs WHERE id = ?');
  const interrupt = db.prepare("UPDATE tool_runs SET status = 'failed', ended_at = ?, error = ? WHERE status = 'running'");

  return {
    insert(run: ToolRunRecord): void {
      insert.run({ ...run, params: JSON.stringify(run.params ?? {}), result: json(run.result) });
    },
    /** Changes the given fields; returns false when the run does not exist. */
    update(id: string, changes: ToolRunUpdate): boolean {
      const keys = (Object.keys(changes) as (keyof ToolRunUpdate)[]).filter((k) => k in COLUMNS && changes[k] !== undefined);
      if (keys.length === 0) return one.get(id) !== undefined;
      const values = keys.map((k) => (k === 'result' ? json(changes.result) : changes[k]));
      const set = keys.map((k) => `${COLUMNS[k]} = ?`).join(', ');
      return db.prepare(`UPDATE tool_runs SET ${set} WHERE id = ?`).run(...values, id).changes > 0;
    },
    get(id: string): ToolRunRecord | null {
      const row = one.get(id) as Row | undefined;
      return row ? { ...fromRow(row), rawOutput: row.raw_output ?? '' } : null;
    },
    /** Newest first; `limit` is clamped to 1–1000. */
    listRecent(limit = 50): ToolRunListItem[] {
      const n = Math.min(1000, Math.max(1, Math.trunc(Number.isFinite(limit) ? limit : 50)));
      return (recent.all(n) as Row[]).map(fromRow);
    },
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
    /** Runs left 'running' by a host that stopped mid-run: no process is behind them any more. */
    failInterrupted(endedAt: number, error: string): number {
      return interrupt.run(endedAt, error).changes;
    },
  };
}

export type ToolRunsRepo = ReturnType<typeof createToolRunsRepo>;
