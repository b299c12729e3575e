// `mtr --json`: 0.95 prints numbers as numbers, older versions print some as strings
// ("count": "1", "Loss%": "0.0%"); both are read the same way.
import type { MtrHop, MtrResult } from './types';
import { hostOrNull, mtrNumber } from './hop';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseMtrJson(text: string): MtrResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { hops: [], stoppedAt: { line: 1, reason: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
  const report = isRecord(doc) && isRecord(doc.report) ? doc.report : null;
  if (report === null) return { hops: [], stoppedAt: { line: 1, reason: 'no "report" object' } };
  const result: MtrResult = { hops: [] };
  const meta = isRecord(report.mtr) ? report.mtr : {};
  if (typeof meta.dst === 'string') result.target = meta.dst;
  const hubs = Array.isArray(report.hubs) ? report.hubs : [];
  hubs.forEach((hub, i) => {
    if (!isRecord(hub)) return;
    const hop = mtrNumber(hub.count) ?? i + 1;
    const host = hostOrNull(typeof hub.host === 'string' ? hub.host : '');
    const previous = result.hops[result.hops.length - 1];
    // Several addresses at one hop come as consecutive hubs with the same count.
    if (previous && previous.hop === hop) {
      if (host !== null) previous.hosts.push(host);
      return;
    }
    const entry: MtrHop = {
      hop, host, hosts: host === null ? [] : [host],
      lossPct: mtrNumber(hub['Loss%']) ?? 0, sent: mtrNumber(hub.Snt) ?? 0,
      lastMs: mtrNumber(hub.Last), avgMs: mtrNumber(hub.Avg), bestMs: mtrNumber(hub.Best),
      worstMs: mtrNumber(hub.Wrst), stddevMs: mtrNumber(hub.StDev),
    };
    result.hops.push(entry);
  });
  return result;
}
