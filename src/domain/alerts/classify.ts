// How one probe sample counts for a sample rule: bad, good, or not at all (a lost probe says
// nothing about latency or a SIP answer's class).
import type { AlertRuleKind, ProbeSelector, RuleParams, SipClass } from '../../contract/alerts';
import { SIP_KINDS, type ProbeKind, type Sample } from '../monitoring/sample';

export const BAD = 1;
export const GOOD = 0;
export const IGNORED = -1;
export type Verdict = typeof BAD | typeof GOOD | typeof IGNORED;

export function probeMatches(selector: ProbeSelector, kind: ProbeKind): boolean {
  switch (selector) {
    case 'any':
      return true;
    case 'sip':
      return SIP_KINDS.includes(kind);
    case 'icmp':
      return kind === 'icmp';
    case 'tcp':
      return kind === 'tcp';
  }
}

/** The probes a sample rule reads. */
export function selectorOf(kind: AlertRuleKind, params: Pick<RuleParams, 'probe'>): ProbeSelector {
  if (kind === 'sip-loss' || kind === 'sip-class') return 'sip';
  if (kind === 'icmp-loss') return 'icmp';
  return params.probe;
}

export function inClass(code: number, cls: SipClass): boolean {
  switch (cls) {
    case '503':
      return code === 503;
    case '5xx':
      return code >= 500 && code <= 599 && code !== 503;
    case '4xx':
      return code >= 400 && code <= 499;
    case '6xx':
      return code >= 600 && code <= 699;
  }
}

/** The verdict of one sample already known to match the rule's probes. */
export function classify(
  kind: AlertRuleKind,
  params: Pick<RuleParams, 'threshold' | 'sipClass'>,
  sample: Pick<Sample, 'rttMs' | 'code'>,
): Verdict {
  const lost = sample.rttMs === null;
  switch (kind) {
    case 'consecutive-failures':
    case 'sip-loss':
    case 'icmp-loss':
      return lost ? BAD : GOOD;
    case 'latency':
      if (lost) return IGNORED;
      return (sample.rttMs as number) > params.threshold ? BAD : GOOD;
    case 'sip-class':
      if (lost || sample.code === undefined) return IGNORED;
      return inClass(sample.code, params.sipClass) ? BAD : GOOD;
    default:
      return IGNORED;
  }
}
