// Open alerts counted for Prometheus by severity and kind, split the way the console's top bar
// splits them (alerts-service `counts()`): firing, held (firing while a maintenance or silence
// holds its server's notifications) and acknowledged. Held alerts get their own gauge rather than
// a label on `switchyard_alerts_firing`, so `sum(switchyard_alerts_firing)` is exactly the top
// bar's count and a paging rule on it cannot forget to leave out what a maintenance holds.
import { AlertKind, Severity, type AlertState } from '../../contract/alerts';

export interface OpenAlertFacts {
  severity: Severity;
  kind: AlertKind;
  state: AlertState;
  serverId: string | null;
}

export interface AlertCount {
  severity: Severity;
  kind: AlertKind;
  firing: number;
  held: number;
  acknowledged: number;
}

/**
 * One entry per severity and kind, zeros included, in a fixed order: a dashboard then shows 0
 * rather than "no data", and `absent()` is never needed to tell calm from a broken scrape.
 */
export function tallyAlerts(open: Iterable<OpenAlertFacts>, isHeld: (serverId: string | null) => boolean): AlertCount[] {
  const counts: AlertCount[] = [];
  const index = new Map<string, AlertCount>();
  for (const severity of Severity.options) {
    for (const kind of AlertKind.options) {
      const entry: AlertCount = { severity, kind, firing: 0, held: 0, acknowledged: 0 };
      counts.push(entry);
      index.set(`${severity}/${kind}`, entry);
    }
  }
  for (const alert of open) {
    const entry = index.get(`${alert.severity}/${alert.kind}`);
    if (entry === undefined) continue;
    if (alert.state === 'acknowledged') entry.acknowledged += 1;
    else if (alert.state === 'firing') {
      if (isHeld(alert.serverId)) entry.held += 1;
      else entry.firing += 1;
    }
  }
  return counts;
}
