import { callRate, channelsInUse, MAX_RATE_SPAN_SEC } from '../../domain/calls/call-rate';
import { callsErrorText, type LoadReport } from '../../domain/ssh/load-report';
import type { LoadRecord, ServerLoadRepo } from '../store/server-load-repo';

// One load poll's report as it is stored: channels in use from Kamailio's dialog statistics (or,
// from a recipe book written before them, its own `channels`), the call rate against the last
// reading that carried the dialog counter, and why calls could not be read.

export function loadRecordOf(serverId: string, at: number, report: LoadReport, loads: Pick<ServerLoadRepo, 'latestCounted'>): LoadRecord {
  const calls = report.calls ?? null;
  let cps: number | null = null;
  if (calls !== null) {
    const before = loads.latestCounted(serverId, at - MAX_RATE_SPAN_SEC * 1000);
    cps = callRate(before?.calls ?? null, calls);
  }
  return {
    serverId,
    at,
    load: report.load,
    memTotalKb: report.memory.totalKb,
    memAvailableKb: report.memory.availableKb,
    uptimeSec: report.uptimeSec,
    channels: calls !== null ? channelsInUse(calls) : (report.channels ?? null),
    pendingUpdates: report.pendingUpdates,
    calls:
      calls === null
        ? null
        : { early: calls.early, processed: calls.processed, clockSec: calls.clockSec, kamailioUptimeSec: calls.kamailioUptimeSec },
    cps,
    callsError: calls === null && report.callsError ? callsErrorText(report.callsError) : null,
  };
}
