import type { Server, ServerDraft } from '../../contract/fleet';

/** The editable part of a server, as a form starts from and `fleet:update-server` takes. */
export function draftOf(server: Server | ServerDraft): ServerDraft {
  return {
    ip: server.ip,
    alias: server.alias,
    type: server.type,
    clusterId: server.clusterId,
    zoneId: server.zoneId,
    channels: server.channels,
    cps: server.cps,
    expiresAt: server.expiresAt,
    adminState: server.adminState,
    config: structuredClone(server.config),
    ssh: { ...server.ssh },
  };
}
