// What happens to a server's registrations in the fleet, in the platform's terms: a single server
// needs nothing; cluster members share every user location; an unclustered server shares its
// registrations with other unclustered servers only when UAC location array sharing is on; and
// otherwise its users can be called through it alone.

export interface SharingServer {
  id: string;
  alias: string;
  clusterId: string | null;
  config: { uacLocationSharing: boolean; disableUacPing: boolean };
}

export type SharingMode = 'single' | 'cluster' | 'array-shared' | 'array-isolated';

export interface RegistrationSharing {
  mode: SharingMode;
  /** Aliases of the servers that see this server's registrations. */
  sharedWith: string[];
  summary: string;
  advice: string | null;
}

const list = (names: string[]): string =>
  names.length <= 4 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;

export function registrationSharing(
  server: SharingServer,
  fleet: readonly SharingServer[],
  clusterName: (id: string) => string,
): RegistrationSharing {
  const others = fleet.filter((s) => s.id !== server.id);
  if (server.clusterId !== null) {
    const members = others.filter((s) => s.clusterId === server.clusterId).map((s) => s.alias);
    const name = clusterName(server.clusterId);
    return {
      mode: 'cluster',
      sharedWith: members,
      summary:
        members.length === 0
          ? `Cluster ${name} has no other member yet: registrations are shared with every server that joins it.`
          : `Shares all user location registrations with the ${members.length} other member${members.length === 1 ? '' : 's'} of cluster ${name} (${list(members)}). Users registered on any member can be called through this server; users registered on servers outside the cluster cannot.`,
      advice: server.config.uacLocationSharing
        ? 'UAC location array sharing is on but the server is clustered: the cluster already shares every registration.'
        : null,
    };
  }
  if (others.length === 0) {
    return { mode: 'single', sharedWith: [], summary: 'A single server: its registrations need no sharing.', advice: null };
  }
  if (server.config.uacLocationSharing) {
    const peers = others.filter((s) => s.clusterId === null && s.config.uacLocationSharing).map((s) => s.alias);
    return {
      mode: 'array-shared',
      sharedWith: peers,
      summary: `UAC location array sharing is on: registrations made here are shared with servers not in a cluster${peers.length ? ` (${list(peers)})` : ''}, so calls connect between them.`,
      advice: server.config.disableUacPing
        ? 'Clustering is the recommended way to share registrations, and scales to thousands of them.'
        : 'With sharing on, Disable UAC Ping saves the NAT keepalive pings every array member sends; clustering is the recommended way to share registrations.',
    };
  }
  return {
    mode: 'array-isolated',
    sharedWith: [],
    summary:
      'Not clustered and UAC location array sharing is off: only users registered on this server can be called through it; users registered on other servers cannot be reached from here.',
    advice:
      'To let users on different servers call each other, put the servers in a cluster (recommended) or turn on UAC location array sharing on the servers that take the registrations.',
  };
}
