import { refOf } from '../../platform/fleet-shape';
import { TRANSIENT_STATES, type UacState } from '../../uac/reg-state';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'uac-not-registered';

// UAC Auth: each upstream a server registers to, from the last read of the server's Kamailio.
// Only a recent read counts, and only on a server with UAC Auth on; a registration on its way
// (REGISTER sent, or waiting for the first timer tick) is not a problem yet.

/** How old a read may be and still describe the registrations now (ten load polls). */
export const UAC_READ_FRESH_MS = 5 * 60_000;

const WHY =
  'The reference: UAC Auth "enables the server to register as a UAC (rather than a UAS) with upstream providers with a username and password". ' +
  'While a registration is down the provider does not know where to send calls for that account: inbound calls from it fail, and a provider that authenticates outbound calls by registration refuses them too.';

const FIX: Record<Exclude<UacState, 'registered' | 'registering' | 'waiting'>, string> = {
  failed:
    "Check the username and password with the provider (Config → UAC Auth upstreams: set the password again), then run Install Server on this server to push them; Kamailio's log on the server names the reply it got.",
  retrying:
    'Check that the registrar answers from this server (Tools → ping or MTR from the server) and the credentials; Kamailio keeps trying by itself.',
  'not-loaded': 'Run Install Server on this server: it pushes the upstream list into Kamailio (UAC Auth must be on).',
};

export const uacNotRegistered: AdvisorRule = {
  id: ID,
  title: 'Upstream registration not registered (UAC Auth)',
  check(fleet, now) {
    const reads = fleet.uac;
    if (!reads) return [];
    const byId = new Map(fleet.servers.map((s) => [s.id, s]));
    const findings: Finding[] = [];
    for (const read of reads) {
      const server = byId.get(read.serverId);
      if (!server?.config.uacAuth || server.adminState === 'stopped' || read.readAt === null || now - read.readAt > UAC_READ_FRESH_MS)
        continue;
      for (const u of read.upstreams) {
        if (u.state === 'registered' || TRANSIENT_STATES.has(u.state)) continue;
        const state = u.state as keyof typeof FIX;
        findings.push({
          rule: ID,
          severity: u.state === 'failed' ? 'error' : 'warning',
          servers: [refOf(server)],
          message: `${server.alias} is not registered to upstream ${u.username} at ${u.registrar}${u.reason ? `: ${u.reason}` : '.'}`,
          why: WHY,
          fix: FIX[state],
          field: 'config.uacUpstreams',
        });
      }
    }
    return findings;
  },
};
