// Vantage settings (which servers probe, how often, what) and the streams' last stated state,
// so a one-shot CLI shows what the running host last said. Migration 014.
import type { VantageSettings, VantageState } from '../../contract/vantage-methods';
import type { StoredTarget } from '../../domain/vantage/plan';
import type { Db } from './database';

export interface StoredVantageState {
  sourceId: string;
  state: VantageState;
  reason: string;
  since: number;
  detail: Record<string, unknown>;
}

interface ConfigRow {
  enabled: number;
  sources: 'dispatchers' | 'chosen';
  interval_ms: number;
  switches: number;
  rtp: number;
}

export function createVantageRepo(db: Db) {
  const readConfig = db.prepare('SELECT enabled, sources, interval_ms, switches, rtp FROM vantage_config WHERE id = 1');
  const writeConfig = db.prepare('UPDATE vantage_config SET enabled = ?, sources = ?, interval_ms = ?, switches = ?, rtp = ? WHERE id = 1');
  const chosen = db.prepare('SELECT server_id FROM vantage_sources ORDER BY server_id').pluck();
  const clearChosen = db.prepare('DELETE FROM vantage_sources');
  const addChosen = db.prepare('INSERT INTO vantage_sources (server_id) VALUES (?)');
  const targets = db.prepare('SELECT id, address, label FROM vantage_targets ORDER BY id');
  const deleteTarget = db.prepare('DELETE FROM vantage_targets WHERE id = ?');
  const upsertTarget = db.prepare(
    'INSERT INTO vantage_targets (address, label) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET label = excluded.label',
  );
  const states = db.prepare('SELECT source_id, state, reason, since, detail FROM vantage_state ORDER BY source_id');
  const putState = db.prepare(`INSERT INTO vantage_state (source_id, state, reason, since, detail) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (source_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, since = excluded.since, detail = excluded.detail`);
  const dropStates = db.prepare('DELETE FROM vantage_state');

  const settings = (): VantageSettings => {
    const row = readConfig.get() as ConfigRow;
    return {
      enabled: row.enabled === 1,
      sources: row.sources,
      chosen: chosen.all() as string[],
      intervalSec: Math.round(row.interval_ms / 1_000),
      switches: row.switches === 1,
      rtp: row.rtp === 1,
      targets: (targets.all() as StoredTarget[]).map(({ address, label }) => ({ address, label })),
    };
  };

  return {
    settings,
    targets: (): StoredTarget[] => targets.all() as StoredTarget[],

    /**
     * Saves all of it or none. A target keeps its id (and so its history) while its address stays;
     * a removed address's history stays stored under its old id until retention takes it.
     */
    save(next: VantageSettings): void {
      db.transaction(() => {
        writeConfig.run(next.enabled ? 1 : 0, next.sources, next.intervalSec * 1_000, next.switches ? 1 : 0, next.rtp ? 1 : 0);
        clearChosen.run();
        for (const id of new Set(next.chosen)) addChosen.run(id);
        const keep = new Set(next.targets.map((t) => t.address.toLowerCase()));
        for (const t of targets.all() as StoredTarget[]) if (!keep.has(t.address.toLowerCase())) deleteTarget.run(t.id);
        for (const t of next.targets) upsertTarget.run(t.address, t.label);
      })();
    },

    states: (): StoredVantageState[] =>
      (states.all() as { source_id: string; state: VantageState; reason: string; since: number; detail: string }[]).map((r) => ({
        sourceId: r.source_id,
        state: r.state,
        reason: r.reason,
        since: r.since,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      })),
    putState(s: StoredVantageState): void {
      putState.run(s.sourceId, s.state, s.reason, s.since, JSON.stringify(s.detail));
    },
    clearStates(): void {
      dropStates.run();
    },
  };
}

export type VantageRepo = ReturnType<typeof createVantageRepo>;
