// The read-only fleet commands (`fleet list`, `fleet export`) need the store and little else:
// opening the whole host (openHost) loads and builds every service (ACME, mail, SSH, WebSockets,
// every contract schema), which cost most of `fleet list`'s start-up. The store opens exactly as
// the host opens it (same file, same migrations, same folder checks). Listing uses the fleet
// service's own list rule (server-list.ts) without loading the service, its fleet rules and their
// schemas; exporting loads the service when asked, so the output is the host's either way.
import path from 'node:path';
import type { Server } from '../contract/fleet';
import { listServers } from '../services/fleet/server-list';
import { checkDataFolder } from '../services/store/file-modes';
import { openStore } from '../services/store/store';

/** The host's database file name (src/host/app.ts DATABASE_FILE), repeated to keep the host module unloaded. */
const DATABASE_FILE = 'switchyard.db';

export interface FleetReader {
  /** As `fleet:list-servers` answers with monitoring stopped (no live status in a one-shot command). */
  listServers(): Server[];
  exportText(format: 'json' | 'csv'): Promise<string>;
  close(): void;
}

export function openFleetReader(dataDir: string, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): FleetReader {
  const file = path.join(dataDir, DATABASE_FILE);
  const store = openStore({ file });
  for (const warning of checkDataFolder(dataDir, file)) log(warning);
  return {
    listServers: () => listServers(store.servers.list(), Date.now()),
    async exportText(format) {
      const { createFleetService } = await import('../services/fleet/fleet-service');
      // Nothing listens for changes in a one-shot command.
      const fleet = createFleetService({ store, clock: Date.now, emit: () => {} });
      return fleet.transfer.exportText(format).text;
    },
    close: () => store.close(),
  };
}
