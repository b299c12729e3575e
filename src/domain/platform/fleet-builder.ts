import type { ServerConfig } from '../../contract/fleet';
import { defaultConfig } from '../fleet/defaults';
import type { PlatformFleet, PlatformServer } from './fleet-shape';

// Small fleets for the platform and advisor tests (and for the calculator's planned servers):
// a server is its id plus whatever the case is about, the rest the platform's defaults.

export type ServerSketch = Partial<Omit<PlatformServer, 'config'>> & { id: string; config?: Partial<ServerConfig> };

let counter = 0;

export function sketchServer(sketch: ServerSketch): PlatformServer {
  counter += 1;
  const { config, ...rest } = sketch;
  return {
    ip: `127.0.9.${counter % 250}`,
    alias: sketch.id,
    type: 'switch',
    clusterId: null,
    zoneId: 'z1',
    channels: 100,
    cps: 50,
    expiresAt: null,
    adminState: 'running',
    updatePending: false,
    ...rest,
    config: { ...defaultConfig(), ...config },
  };
}

export function sketchFleet(servers: ServerSketch[], clusters: string[] = []): PlatformFleet {
  return { servers: servers.map(sketchServer), clusters: clusters.map((id) => ({ id, name: id })) };
}
