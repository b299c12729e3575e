// `switchyard probe … --nagios`: the Nagios plugin convention, which Icinga and Zabbix (and
// anything that runs Nagios plugins) read too: one line `LABEL STATUS - text | perfdata` on stdout
// and the exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Thresholds follow the plugin
// guidelines: a value beyond the threshold (greater than it) raises the state.
// Pure: the probe command measures, this decides and words it.

/** Defaults like check_ping's usual `-w 100,20% -c 500,60%`; `probe --help` states them. */
export const NAGIOS_DEFAULTS = { warningMs: 100, criticalMs: 500, warningLossPct: 20, criticalLossPct: 60 } as const;

export const NAGIOS_EXIT = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type NagiosStatus = keyof typeof NAGIOS_EXIT;

export interface NagiosThresholds {
  warningMs: number;
  criticalMs: number;
  warningLossPct: number;
  criticalLossPct: number;
}

export interface NagiosMeasurement {
  /** SIP, ICMP or TCP: the service label Nagios shows first. */
  label: string;
  /** host:port (or the host for ICMP), as the operator typed it. */
  where: string;
  sent: number;
  received: number;
  lossPct: number;
  avgMs: number | null;
  /** SIP response codes of the answered probes, in order. */
  codes: readonly number[];
}

export interface NagiosVerdict {
  status: NagiosStatus;
  exitCode: number;
  line: string;
}

/** A 5xx answer: the server is alive but refusing work, as the live probes flag it. */
const isFlagged = (code: number): boolean => code >= 500;

/** Plain decimals with at most 3 places, no exponent and no locale (perfdata is parsed by machines). */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

export function nagiosVerdict(m: NagiosMeasurement, t: NagiosThresholds): NagiosVerdict {
  const critical: string[] = [];
  const warning: string[] = [];
  const silent = m.received === 0;
  if (!silent) {
    if (m.avgMs !== null && m.avgMs > t.criticalMs) critical.push(`rtt > ${num(t.criticalMs)} ms`);
    else if (m.avgMs !== null && m.avgMs > t.warningMs) warning.push(`rtt > ${num(t.warningMs)} ms`);
    if (m.lossPct > t.criticalLossPct) critical.push(`loss > ${num(t.criticalLossPct)}%`);
    else if (m.lossPct > t.warningLossPct) warning.push(`loss > ${num(t.warningLossPct)}%`);
  }
  const flagged = m.codes.find(isFlagged);
  if (flagged !== undefined) warning.push(`answered ${flagged}`);
  const status: NagiosStatus = silent || critical.length > 0 ? 'CRITICAL' : warning.length > 0 ? 'WARNING' : 'OK';

  const code = flagged ?? m.codes.at(-1);
  const what = silent
    ? `${m.where} did not answer ${m.sent} probe${m.sent === 1 ? '' : 's'} (${num(m.lossPct)}% loss)`
    : `${m.where} answered${code === undefined ? '' : ` ${code}`} in ${num(m.avgMs ?? 0)} ms${m.lossPct > 0 ? `, ${num(m.lossPct)}% loss` : ''}`;
  // Say why the state is not OK, unless the text already says it (`answered 503`).
  const why = [...critical, ...warning].filter((reason) => !what.includes(reason));
  const rtt = m.avgMs === null ? 'U' : `${num(m.avgMs)}ms`;
  const perf = `rtt=${rtt};${num(t.warningMs)};${num(t.criticalMs)};0 loss=${num(m.lossPct)}%;${num(t.warningLossPct)};${num(t.criticalLossPct)};0;100`;
  return {
    status,
    exitCode: NAGIOS_EXIT[status],
    line: `${m.label} ${status} - ${what}${why.length > 0 ? ` (${why.join(', ')})` : ''} | ${perf}\n`,
  };
}

/** Bad input or an internal failure: UNKNOWN, so a broken check is never read as a down service. */
export function nagiosUnknown(label: string, reason: string): NagiosVerdict {
  return { status: 'UNKNOWN', exitCode: NAGIOS_EXIT.UNKNOWN, line: `${label} UNKNOWN - ${reason.replace(/\s*\n\s*/g, ' ').trim()}\n` };
}

/** Checks the thresholds as given; the reason names the flag. */
export function thresholdProblem(t: NagiosThresholds): string | null {
  if (t.warningMs > t.criticalMs) return `--warning (${num(t.warningMs)} ms) must not exceed --critical (${num(t.criticalMs)} ms).`;
  if (t.warningLossPct > t.criticalLossPct)
    return `--warning-loss (${num(t.warningLossPct)}%) must not exceed --critical-loss (${num(t.criticalLossPct)}%).`;
  return null;
}
