import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { openStore } from '../../src/services/store/store';
import { createToolRunsRepo, type ToolRunRecord } from '../../src/services/store/tool-runs-repo';
import { createLocalRunner, runMtr, runPing } from '../../src/services/tools';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

function freshRepo() {
  const store = openStore({ file: path.join(tempDir(), 'runs.db'), now: () => 1 });
  return { store, runs: createToolRunsRepo(store.db) };
}

const base = (over: Partial<ToolRunRecord> = {}): ToolRunRecord => ({
  id: '7f1c3a52-93a8-4c1e-9e3c-0a7d5d1e2b01',
  tool: 'ping',
  source: 'local',
  target: '127.0.0.1',
  params: { count: 2, intervalS: 0.2 },
  startedAt: 1_000,
  endedAt: null,
  status: 'running',
  rawOutput: '',
  result: null,
  error: null,
  ...over,
});

describe('tool runs in the store', () => {
  it('is migration 3, "tool-runs", and replays on a fresh file', () => {
    expect(MIGRATIONS.find((m) => m.version === 3)?.name).toBe('tool-runs');
    const { store } = freshRepo();
    const columns = store.db.prepare("SELECT name FROM pragma_table_info('tool_runs')").pluck().all();
    expect(columns).toEqual([
      'id',
      'tool',
      'source',
      'target',
      'params',
      'started_at',
      'ended_at',
      'status',
      'raw_output',
      'result',
      'error',
    ]);
    store.close();
  });

  it('applies on top of the inventory alone, so it does not depend on other tables', () => {
    const db = openDatabase(':memory:');
    const mine = MIGRATIONS.filter((m) => m.version === 1 || m.version === 3);
    migrate(db, ':memory:', () => 1, mine);
    const runs = createToolRunsRepo(db);
    runs.insert(base());
    expect(runs.get(base().id)?.status).toBe('running');
    db.close();
  });

  it('keeps a real ping run and a real mtr run whole: insert running, update when done, read back', async () => {
    const { store, runs } = freshRepo();
    const runner = createLocalRunner();
    const ping = await runPing({ target: '127.0.0.1', params: { count: 2, intervalS: 0.2 }, runner });
    runs.insert(base());
    expect(runs.update(base().id, { status: ping.status, endedAt: 2_000, rawOutput: ping.raw, result: ping.result })).toBe(true);
    const stored = runs.get(base().id);
    expect(stored).toEqual({ ...base(), status: 'done', endedAt: 2_000, rawOutput: ping.raw, result: ping.result });

    const mtr = await runMtr({ target: '127.0.0.2', params: { count: 1 }, runner });
    const mtrRun = base({
      id: 'b0a9d8c7-0000-4000-8000-000000000002',
      tool: 'mtr',
      source: 'srv-1',
      target: '127.0.0.2',
      params: { count: 1, maxHops: 30 },
      startedAt: 3_000,
      endedAt: 4_000,
      status: 'done',
      rawOutput: mtr.raw,
      result: mtr.result,
    });
    runs.insert(mtrRun);
    expect(runs.get(mtrRun.id)).toEqual(mtrRun);
    store.close();

    // It survives closing and reopening the file.
    const again = openStore({ file: store.file });
    expect(createToolRunsRepo(again.db).get(mtrRun.id)?.result).toEqual(mtr.result);
    again.close();
  });

  it('lists newest first with a limit and without the raw output; deletes', () => {
    const { store, runs } = freshRepo();
    for (let i = 1; i <= 5; i += 1)
      runs.insert(
        base({ id: `run-${i}`, startedAt: i * 100, rawOutput: 'x'.repeat(10), status: 'done', source: i % 2 ? 'local' : 'pasted' }),
      );
    const recent = runs.listRecent(3);
    expect(recent.map((r) => r.id)).toEqual(['run-5', 'run-4', 'run-3']);
    expect(recent[0]).not.toHaveProperty('rawOutput');
    expect(runs.listRecent(0)).toHaveLength(1);
    expect(runs.delete('run-5')).toBe(true);
    expect(runs.delete('run-5')).toBe(false);
    expect(runs.get('run-5')).toBeNull();
    expect(runs.update('run-5', { status: 'failed' })).toBe(false);
    expect(runs.update('run-4', { status: 'failed', error: 'ping: unknown host' })).toBe(true);
    expect(runs.get('run-4')).toMatchObject({ status: 'failed', error: 'ping: unknown host' });
    store.close();
  });

  it('refuses a tool, status or source outside the schema', () => {
    const { store, runs } = freshRepo();
    expect(() => runs.insert(base({ tool: 'traceroute' as 'ping' }))).toThrow(/CHECK/);
    expect(() => runs.insert(base({ status: 'paused' as 'done' }))).toThrow(/CHECK/);
    expect(() => runs.insert(base({ source: '' }))).toThrow(/CHECK/);
    runs.insert(base());
    expect(() => runs.update(base().id, { status: 'exploded' as 'done' })).toThrow(/CHECK/);
    store.close();
  });
});
