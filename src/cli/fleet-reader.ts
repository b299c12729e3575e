// The read-only fleet commands (`fleet list`, `fleet export`) need the store and the fleet
// service, nothing else: opening the whole host (openHost) loads and builds every service (ACME,
// mail, SSH, WebSockets, every contract schema), which cost most of `fleet list`'s start-up.
// The store opens exactly as the host opens it (same file, same migrations, same folder checks),
// and the fleet service is the host's own, so the output is the same.
import path from 'node:path';
import { createFleetService, type FleetService } from '../services/fleet/fleet-service';
import { checkDataFolder } from '../services/store/file-modes';
import { openStore } from '../services/store/store';

/** The host's database file name (src/host/app.ts DATABASE_FILE), repeated to keep the host module unloaded. */
const DATABASE_FILE = 'switchyard.db';

export interface FleetReader {
  readonly fleet: FleetService;
  close(): void;
}

export function openFleetReader(dataDir: string, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): FleetReader {
  const file = path.join(dataDir, DATABASE_FILE);
  const store = openStore({ file });
  for (const warning of checkDataFolder(dataDir, file)) log(warning);
  // No monitoring runs in a one-shot command, so there is no live status (as in the host, where
  // monitoring's liveStatus answers null until it starts), and nothing listens for changes.
  const fleet = createFleetService({ store, clock: Date.now, emit: () => {} });
  return { fleet, close: () => store.close() };
}
