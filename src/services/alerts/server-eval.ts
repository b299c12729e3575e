// What the alert engine keeps per server: where it sits (for scopes and holds), the rules as they
// apply to it, and the rings of the enabled sample rules and of the load poll.
import type { AlertRuleKind, EffectiveRule, ProbeSelector, RuleParams } from '../../contract/alerts';
import type { Hysteresis } from '../../domain/alerts/hysteresis';
import type { ServerScope } from '../../domain/alerts/resolve';
import type { Sample } from '../../domain/monitoring/sample';
import type { Subject } from './alert-book';

export interface ServerInfo extends ServerScope {
  ip: string;
  /** Stopped or expired: probes pause, so sample rules do not apply. */
  paused: boolean;
  updatePending: boolean;
}

export interface SampleRule {
  kind: AlertRuleKind;
  params: RuleParams;
  selector: ProbeSelector;
  source: string;
  hyst: Hysteresis;
  /** What the ring was built for: a change of any of these starts it afresh. */
  shape: string;
  last: Pick<Sample, 'rttMs' | 'code'> | null;
}

export interface ServerEval {
  info: ServerInfo;
  rules: Map<AlertRuleKind, EffectiveRule>;
  sampleRules: SampleRule[];
  loadPoll: { hyst: Hysteresis; shape: string; error: string } | null;
}

export function serverSubject(kind: Subject['kind'], info: ServerInfo): Subject {
  return {
    kind,
    type: 'server',
    id: info.id,
    label: `${info.alias} (${info.ip})`,
    server: {
      id: info.id,
      ip: info.ip,
      zoneId: info.zoneId,
      zoneName: info.zoneName,
      clusterId: info.clusterId,
      clusterName: info.clusterName,
    },
  };
}
