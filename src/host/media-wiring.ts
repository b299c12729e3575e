// Media server selection's wiring: how RTP servers and fleet servers are reached to measure the
// media paths, and where progress goes.
import type { RtpServer, Server } from '../contract/fleet';
import type { MediaSsh } from '../contract/media-methods';
import { createMediaService } from '../services/media/media-service';
import { sshTargetOf } from '../services/ssh/app-ssh';
import type { SshPool } from '../services/ssh/pool';
import type { SshTarget } from '../services/ssh/ssh-target';
import type { Store } from '../services/store/store';
import { createRemoteRunner } from '../services/tools';
import type { EventBus } from './event-bus';

export interface MediaWiringDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  snapshotShown: () => boolean;
}

/**
 * An RTP server that is also a fleet server (same IP) is reached with that server's settings;
 * any other with the media SSH settings, whose empty fields ~/.ssh/config fills for its IP.
 */
export function rtpSshTarget(rtp: RtpServer, settings: MediaSsh, fleetServer: Server | null): SshTarget {
  if (fleetServer) return sshTargetOf(fleetServer);
  return {
    id: `rtp-${rtp.id}`,
    host: rtp.ip,
    port: settings.port,
    user: settings.user,
    auth: settings.auth,
    keyPath: settings.keyPath,
    jumpHost: settings.jumpHost,
  };
}

export function createMediaWiring({ store, clock, bus, sshPool, snapshotShown }: MediaWiringDeps) {
  const asServer = (ip: string): Server | null => {
    const s = store.servers.list().find((x) => x.ip === ip);
    return s ? { ...s, status: 'unknown' } : null;
  };
  return createMediaService({
    store,
    clock,
    snapshotShown,
    onProgress: (p) => bus.emit('media:progress', p),
    // Every console shows the media zone (Server Config, Media path): tell them all, as a server edit does.
    onZoneSet: () => bus.emit('fleet:changed', { entity: 'servers' }),
    rtpRunner: (rtp) => {
      const target = rtpSshTarget(rtp, store.media.ssh(), asServer(rtp.ip));
      return createRemoteRunner((argv, options) => sshPool.exec(target, argv, options), `RTP server ${rtp.alias} (${rtp.ip})`);
    },
    serverRunner: (server) =>
      createRemoteRunner((argv, options) => sshPool.exec(sshTargetOf(server), argv, options), `${server.alias} (${server.ip})`),
  });
}
