import { Settings, type SettingsPatch } from '../../contract/app';
import type { z } from 'zod';
import type { FleetDeps } from './context';

export const DEFAULT_SETTINGS: Settings = {
  defaultSshUser: 'root',
  expiringSoonDays: 14,
  probeIntervalSec: 5,
  sipDeadlineMs: 2_000,
  statusMaxLossPct: 5,
  statusMaxLatencyMs: 250,
  statusDownAfterLosses: 3,
  availableBalanceCents: 0,
  // Enough for an incident (a few pings and MTRs side by side), few enough that a script looping
  // over tools:start-ping cannot fill the process table.
  maxConcurrentToolRuns: 8,
};

export function createSettingsService({ store, emit }: FleetDeps) {
  const get = (): Settings => {
    // Stored values are merged over the defaults and re-checked, so a setting added in a later
    // version has its default and a hand-edited bad value cannot reach the UI.
    const merged = { ...DEFAULT_SETTINGS, ...store.settings.all() };
    const parsed = Settings.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  };
  return {
    get,
    update(patch: z.output<typeof SettingsPatch>): Settings {
      const next = Settings.parse({ ...get(), ...patch });
      store.transaction(() => {
        for (const [key, value] of Object.entries(next)) store.settings.set(key, value);
      });
      emit('settings');
      return next;
    },
  };
}
