// From a stored run to what the contract shows: the history line (with a headline of its figures)
// and the full run, and the three export forms (JSON, CSV, the raw text as the tool wrote it).
// A pasted SIP message goes the same way: its inspection is the result, its headers the CSV rows.
import { formatCsv } from '../../domain/csv/writer';
import type { ExportFormat, MtrResult, PingResult, SipInspection, ToolRun, ToolRunBrief } from '../../contract/tools-methods';
import type { ToolRunListItem, ToolRunRecord } from '../store/tool-runs-repo';

export type SourceLabel = (source: string) => string;

const asPing = (item: ToolRunListItem): PingResult | null => (item.tool === 'ping' && item.result ? (item.result as PingResult) : null);
const asMtr = (item: ToolRunListItem): MtrResult | null => (item.tool === 'mtr' && item.result ? (item.result as MtrResult) : null);
const asSip = (item: ToolRunListItem): SipInspection | null => (item.tool === 'sip' && item.result ? (item.result as SipInspection) : null);

export function headlineOf(ping: PingResult | null, mtr: MtrResult | null): ToolRunBrief['headline'] {
  if (ping) {
    const s = ping.summary;
    return { sent: s.sent, received: s.received, lossPct: s.lossPct, avgMs: s.avgMs, hops: null };
  }
  // The last hop is the target (or as near as the path got): its figures are the run's.
  const last = mtr?.hops.at(-1);
  if (mtr && last) return { sent: last.sent, received: null, lossPct: last.lossPct, avgMs: last.avgMs, hops: mtr.hops.length };
  return { sent: null, received: null, lossPct: null, avgMs: null, hops: mtr ? 0 : null };
}

export function briefOf(item: ToolRunListItem, label: SourceLabel): ToolRunBrief {
  return {
    id: item.id,
    tool: item.tool,
    source: item.source,
    sourceLabel: label(item.source),
    target: item.target,
    params: paramsOf(item.params),
    startedAt: item.startedAt,
    endedAt: item.endedAt,
    status: item.status,
    error: item.error,
    headline: headlineOf(asPing(item), asMtr(item)),
  };
}

export function runOf(record: ToolRunRecord, label: SourceLabel): ToolRun {
  return { ...briefOf(record, label), rawOutput: record.rawOutput, ping: asPing(record), mtr: asMtr(record), sip: asSip(record) };
}

function paramsOf(value: unknown): ToolRunBrief['params'] {
  const out: ToolRunBrief['params'] = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  return out;
}

const MIME: Record<ExportFormat, string> = { json: 'application/json', csv: 'text/csv', text: 'text/plain' };
const EXT: Record<ExportFormat, string> = { json: 'json', csv: 'csv', text: 'txt' };

/** `ping-192.0.2.1-20261125-1200.csv`: sortable, and safe as a file name on every system. */
export function exportFileName(run: ToolRun, format: ExportFormat): string {
  const stamp = new Date(run.startedAt).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  const target = run.target.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 80);
  return `${run.tool}-${target}-${stamp}.${EXT[format]}`;
}

export function exportRun(run: ToolRun, format: ExportFormat): { text: string; fileName: string; mime: string } {
  return { text: exportText(run, format), fileName: exportFileName(run, format), mime: MIME[format] };
}

function exportText(run: ToolRun, format: ExportFormat): string {
  if (format === 'text') return run.rawOutput;
  if (format === 'json') {
    const { rawOutput: _raw, ping, mtr, sip, ...rest } = run;
    return `${JSON.stringify({ ...rest, startedAtIso: new Date(run.startedAt).toISOString(), result: ping ?? mtr ?? sip }, null, 2)}\n`;
  }
  if (run.sip) {
    // One row per header, in the order the message has them (compact forms already expanded).
    return formatCsv(
      ['name', 'value'],
      run.sip.headers.map((h) => [h.name, h.value]),
      { newline: '\n' },
    );
  }
  if (run.ping) {
    return formatCsv(
      ['seq', 'from', 'ttl', 'rtt_ms', 'duplicate', 'error'],
      run.ping.replies.map((r) => [r.seq, r.from, r.ttl, r.rttMs, r.duplicate ? 'yes' : '', r.error]),
      { newline: '\n' },
    );
  }
  return formatCsv(
    ['hop', 'host', 'hosts', 'loss_pct', 'sent', 'last_ms', 'avg_ms', 'best_ms', 'worst_ms', 'stddev_ms'],
    (run.mtr?.hops ?? []).map((h) => [
      h.hop,
      h.host ?? '???',
      h.hosts.join(' '),
      h.lossPct,
      h.sent,
      h.lastMs,
      h.avgMs,
      h.bestMs,
      h.worstMs,
      h.stddevMs,
    ]),
    { newline: '\n' },
  );
}
