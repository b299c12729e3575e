// Which routes an alert change takes: a route names a channel and picks alerts by severity, kind
// and where the server is (the fleet, a zone or a cluster). A resolution goes only where the route
// asks for it; an alert about a failing channel never goes back through that channel.
import type { AlertKind, Severity } from '../../contract/alerts';
import type { NoticeWhat } from './notice';

export interface RouteRule {
  id: number;
  channelId: number;
  enabled: boolean;
  severities: readonly Severity[];
  /** Empty: every kind. */
  kinds: readonly AlertKind[];
  scope: { level: 'fleet' | 'zone' | 'cluster'; id: string | null };
  notifyResolved: boolean;
}

export interface RoutedChange {
  kind: AlertKind;
  severity: Severity;
  what: NoticeWhat;
  zoneId: string | null;
  clusterId: string | null;
  /** For channel-failing alerts: the channel that fails. */
  channelId: number | null;
}

export function routeMatches(route: RouteRule, change: RoutedChange): boolean {
  if (!route.enabled) return false;
  if (!route.severities.includes(change.severity)) return false;
  if (route.kinds.length > 0 && !route.kinds.includes(change.kind)) return false;
  if (route.scope.level === 'zone' && route.scope.id !== change.zoneId) return false;
  if (route.scope.level === 'cluster' && route.scope.id !== change.clusterId) return false;
  if ((change.what === 'resolved' || change.what === 'acknowledged') && !route.notifyResolved) return false;
  if (change.kind === 'channel-failing' && change.channelId === route.channelId) return false;
  return true;
}
