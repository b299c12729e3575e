// The status rules (domain/monitoring/status.ts) read straight from the probe windows' columns,
// with no sample objects made: the live state re-derives thousands of servers a second at 10,000.
// live-state-window.test.ts holds it to deriveStatus over random streams.
import { isFlaggedCode, SIP_KINDS, type ProbeKind } from '../../domain/monitoring/sample';
import type { StatusReason, StatusThresholds, StatusVerdict } from '../../domain/monitoring/status';
import { medianOf } from '../../domain/monitoring/median';
import type { ProbeWindows } from './probe-windows';

/** One kind's row of a server, in the order the kind first came. */
export interface KindRow {
  kind: ProbeKind;
  row: number;
}

/** Reused between calls: the round trips of one kind's window. */
const rtts: number[] = [];

/**
 * What deriveStatus says for a running, unexpired server from the last `windowSamples` probes of
 * each row. Kinds are taken in the order of their first kept probe, as deriveStatus takes them.
 */
export function verdictOfWindows(windows: ProbeWindows, rows: readonly KindRow[], t: StatusThresholds): StatusVerdict {
  const kinds = rows.filter((r) => windows.length(r.row) > 0);
  if (kinds.length === 0) return { status: 'unknown', reasons: [] };
  if (kinds.length > 1) kinds.sort((a, b) => windows.at(a.row, 0) - windows.at(b.row, 0));

  const reasons: StatusReason[] = [];
  let sip = 0;
  let sipFailing = 0;
  let failing = 0;
  for (const { kind, row } of kinds) {
    const len = windows.length(row);
    const n = Math.min(len, t.windowSamples);
    const from = len - n;
    const isSip = SIP_KINDS.includes(kind);
    if (isSip) sip += 1;
    let streak = 0;
    for (let i = len - 1; i >= from && windows.rtt(row, i) === null; i -= 1) streak += 1;
    if (streak >= t.downAfterLosses) {
      failing += 1;
      if (isSip) sipFailing += 1;
      reasons.push({ kind, rule: 'consecutive-loss', losses: streak });
      continue;
    }
    let lost = 0;
    let lastAnswered = -1;
    let slow = 0;
    rtts.length = 0;
    for (let i = from; i < len; i += 1) {
      const rtt = windows.rtt(row, i);
      if (rtt === null) lost += 1;
      else {
        rtts.push(rtt);
        lastAnswered = i;
        if (rtt > t.maxLatencyMs) slow += 1;
      }
    }
    const loss = (100 * lost) / n;
    if (loss > t.maxLossPct) reasons.push({ kind, rule: 'loss', lossPct: loss });
    // With fewer than half the answers above the limit the median cannot be (the middle pair's
    // mean needs at least one of them above it): the sort is skipped for nearly every server.
    const median = slow < rtts.length >> 1 ? null : medianOf(rtts);
    if (median !== null && median > t.maxLatencyMs) reasons.push({ kind, rule: 'latency', medianMs: median });
    const code = lastAnswered < 0 ? undefined : windows.code(row, lastAnswered);
    if (code !== undefined && isFlaggedCode(code)) reasons.push({ kind, rule: 'flagged-code', code });
  }
  // Down needs every SIP kind failing, or every kind when no SIP probe runs.
  const down = sip > 0 ? sipFailing === sip : failing === kinds.length;
  if (down) return { status: 'down', reasons };
  return { status: reasons.length > 0 ? 'degraded' : 'online', reasons };
}
