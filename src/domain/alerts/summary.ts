// The words of an alert: what was seen, with its figures, the way a tired engineer reads it at
// 03:00 ("SIP: 3 probes lost in a row", not "rule consecutive-failures breached").
import type { AlertRuleKind, ProbeSelector, RuleParams } from '../../contract/alerts';
import { formatMs } from '../monitoring/format-ms';
import { windowOf } from './rule-kinds';

export const PROBE_WORD: Readonly<Record<ProbeSelector, string>> = { sip: 'SIP', icmp: 'ICMP', tcp: 'TCP connect', any: 'Every probe' };

export interface WindowFigures {
  /** Bad observations among the last `seen`. */
  bad: number;
  seen: number;
  /** The observation that decided it. */
  last: { rttMs: number | null; code?: number | undefined } | null;
}

export interface AlertFigures {
  summary: string;
  value: number | null;
  threshold: number | null;
}

function pct(n: number): string {
  return n >= 10 || Number.isInteger(n) ? `${Math.round(n)} %` : `${n.toFixed(1)} %`;
}

/** What a sample rule saw when it raised. */
export function sampleRuleFigures(kind: AlertRuleKind, params: RuleParams, w: WindowFigures): AlertFigures {
  const probe = PROBE_WORD[params.probe];
  switch (kind) {
    case 'consecutive-failures':
      return { summary: `${probe}: ${windowOf(kind, params)} probes lost in a row`, value: w.bad, threshold: params.raiseAfter };
    case 'sip-loss':
    case 'icmp-loss': {
      const loss = w.seen === 0 ? 0 : (100 * w.bad) / w.seen;
      const what = kind === 'sip-loss' ? 'SIP' : 'ICMP';
      return {
        summary: `${what}: ${w.bad} of the last ${w.seen} probes lost (${pct(loss)}, threshold ${pct(params.threshold)})`,
        value: loss,
        threshold: params.threshold,
      };
    }
    case 'latency': {
      const last = w.last?.rttMs ?? null;
      return {
        summary: `${probe} latency above ${formatMs(params.threshold)} ms in ${w.bad} of the last ${w.seen} answers${last === null ? '' : ` (last ${formatMs(last)} ms)`}`,
        value: last,
        threshold: params.threshold,
      };
    }
    case 'sip-class': {
      const code = w.last?.code;
      return {
        summary: `SIP: ${w.bad} of the last ${w.seen} answers were ${params.sipClass}${code === undefined ? '' : ` (last ${code})`}`,
        value: code ?? null,
        threshold: null,
      };
    }
    default:
      return { summary: kind, value: null, threshold: null };
  }
}

/** Why a sample rule cleared: the good run that ended it. */
export function clearNote(kind: AlertRuleKind, goodStreak: number): string {
  const noun = kind === 'load-poll' ? 'good polls' : kind === 'consecutive-failures' || kind.endsWith('loss') ? 'answers' : 'good answers';
  return `Recovered: ${goodStreak} ${noun} in a row.`;
}

export function certExpiryFigures(name: string, notAfter: number, now: number, thresholdDays: number): AlertFigures {
  const days = (notAfter - now) / 86_400_000;
  const date = new Date(notAfter).toISOString().slice(0, 10);
  const summary =
    days <= 0
      ? `Certificate ${name} expired ${Math.floor(-days)} days ago (${date})`
      : `Certificate ${name} expires in ${Math.max(0, Math.floor(days))} days (${date}; warning from ${thresholdDays} days)`;
  return { summary, value: Math.floor(days), threshold: thresholdDays };
}

export function updatePendingFigures(since: number, now: number, thresholdHours: number): AlertFigures {
  const hours = (now - since) / 3_600_000;
  return {
    summary: `There's a pending update on the server, for ${Math.floor(hours)} hours (threshold ${thresholdHours} h)`,
    value: Math.floor(hours),
    threshold: thresholdHours,
  };
}

export function loadPollFigures(streak: number, error: string): AlertFigures {
  return { summary: `${streak} load polls over SSH failed in a row: ${error}`, value: streak, threshold: null };
}
