import type { Db } from './database';

/** Settings as JSON values under string keys; the service owns their schema and defaults. */
export function createSettingsRepo(db: Db) {
  const all = db.prepare('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return {
    all(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const row of all.all() as { key: string; value: string }[]) out[row.key] = JSON.parse(row.value);
      return out;
    },
    set(key: string, value: unknown): void {
      upsert.run(key, JSON.stringify(value));
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
