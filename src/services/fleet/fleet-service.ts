import demoFleet from '../../../resources/demo-fleet.json' with { type: 'json' };
import type { ImportSummary } from '../../contract/fleet';
import { DomainError } from '../../domain/errors';
import type { FleetDeps } from './context';
import { createClustersService, createZonesService } from './groups';
import { createRtpService } from './rtp';
import { createServersService } from './servers';
import { createSettingsService } from './settings';
import { createTransferService } from './transfer';

export function createFleetService(deps: FleetDeps) {
  const settings = createSettingsService(deps);
  const transfer = createTransferService(deps, () => settings.get().defaultSshUser);
  return {
    settings,
    zones: createZonesService(deps),
    clusters: createClustersService(deps),
    servers: createServersService(deps),
    rtp: createRtpService(deps),
    transfer,
    /** The demo fleet (loopback addresses only) goes into an empty fleet, never over a real one. */
    loadDemo(): ImportSummary {
      if (deps.store.servers.list().length > 0 || deps.store.rtp.list().length > 0) {
        throw new DomainError('conflict', 'The demo fleet loads only into an empty fleet; this one already has servers.');
      }
      return transfer.importText('json', JSON.stringify(demoFleet));
    },
  };
}

export type FleetService = ReturnType<typeof createFleetService>;
