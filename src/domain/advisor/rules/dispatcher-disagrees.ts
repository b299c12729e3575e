import { READING_FRESH_MS } from '../../calls/freshness';
import { compareDestinations, serversByHost, type ComparedDestination } from '../../dispatcher/compare';
import { refOf, type PlatformServer } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'dispatcher-disagrees';

// A dispatcher's own view of its switches against Switchyard's probes of the same switches. Only a
// recent read counts: the dispatcher's view of an hour ago says nothing about where calls go now.

const WHY_INACTIVE =
  "A dispatcher sends no calls to a destination it marks inactive. When Switchyard reaches the switch and the dispatcher does not, the path between the two (a firewall, a route, the address or port in the dispatcher's list) is the usual cause, and the cluster runs on fewer switches than it has.";
const WHY_DOWN =
  "Calls the dispatcher sends to a switch that does not answer fail or wait for the dispatcher's own failover. The dispatcher only notices by itself when it probes active destinations too (ds_probing_mode 1).";

function ours(d: ComparedDestination): string {
  const o = d.ours;
  if (!o) return '';
  if (o.sipRttMs !== null) return ` (SIP ${o.sipCode ?? 'answer'} in ${o.sipRttMs < 1 ? o.sipRttMs.toFixed(2) : o.sipRttMs.toFixed(1)} ms)`;
  return o.reason ? ` (${o.reason})` : '';
}

function findingOf(dispatcher: PlatformServer, d: ComparedDestination): Finding | null {
  if (d.match === null || d.disagreement === null) return null;
  const servers = [refOf(dispatcher), { id: d.match.id, ip: d.match.ip, alias: d.match.alias }];
  if (d.disagreement === 'inactive-but-answering') {
    return {
      rule: ID,
      severity: 'warning',
      servers,
      message: `${dispatcher.alias} marks ${d.match.alias} (${d.uri}, set ${d.setId}) inactive, while Switchyard's probes see it answering${ours(d)}.`,
      why: WHY_INACTIVE,
      fix: `From ${dispatcher.alias}, ping or trace ${d.match.alias} (Tools, from the server) and check the firewall and the destination's address and port in the dispatcher's list; the dispatcher marks it active again by itself once its keepalives are answered.`,
      field: 'destinations',
    };
  }
  return {
    rule: ID,
    severity: 'error',
    servers,
    message: `${dispatcher.alias} still sends calls to ${d.match.alias} (${d.uri}, set ${d.setId}), which Switchyard sees down${ours(d)}.`,
    why: WHY_DOWN,
    fix: `Bring ${d.match.alias} back, or take it out of rotation on ${dispatcher.alias} (kamcmd dispatcher.set_state ip ${d.setId} ${d.uri}); with ds_probing_mode 1 the dispatcher probes active destinations too.`,
    field: 'destinations',
  };
}

export const dispatcherDisagrees: AdvisorRule = {
  id: ID,
  title: 'Dispatcher and Switchyard disagree about a switch',
  check(fleet, now) {
    const views = fleet.dispatcherViews;
    const probes = fleet.probes;
    if (!views || !probes) return [];
    const byId = new Map(fleet.servers.map((s) => [s.id, s]));
    const byHost = serversByHost(fleet.servers);
    const findings: Finding[] = [];
    for (const view of views) {
      const dispatcher = byId.get(view.serverId);
      if (!dispatcher || dispatcher.type !== 'dispatcher' || view.readAt === null || now - view.readAt > READING_FRESH_MS) continue;
      for (const d of compareDestinations(view.destinations, fleet.servers, (id) => probes.get(id) ?? null, byHost)) {
        const finding = findingOf(dispatcher, d);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};
