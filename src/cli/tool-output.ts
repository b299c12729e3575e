// How the CLI shows ping, mtr and SIP results: the JSON objects the issue documents (one shape
// whether the result came from a live run or a paste) and readable tables for a terminal.
import type { MtrHop, MtrResult } from '../domain/mtr';
import type { PingReply, PingResult, PingSummary } from '../domain/ping';
import type { SipInspection } from '../domain/sip';

/** `switchyard ping --json` and `parse ping --json`: the parsed result as the parsers give it. */
export function pingJson(result: PingResult): PingResult {
  return result;
}

/** `switchyard mtr --json` and `parse mtr --json`. */
export function mtrJson(result: MtrResult): MtrResult {
  return result;
}

export interface SipJson {
  kind: 'request' | 'response' | 'unknown';
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: { name: string; value: string }[];
  body: string;
  problems: { code: string; severity: string; message: string }[];
  valid: boolean;
}

export function sipJson(s: SipInspection): SipJson {
  return {
    kind: s.kind,
    ...(s.method !== undefined ? { method: s.method } : {}),
    ...(s.uri !== undefined ? { uri: s.uri } : {}),
    ...(s.status !== undefined ? { status: s.status } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    headers: s.headers.map(({ name, value }) => ({ name, value })),
    body: s.body,
    problems: s.problems.map(({ code, severity, message }) => ({ code, severity, message })),
    valid: s.valid,
  };
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const ms = (n: number | null): string => (n === null ? '-' : (Math.round(n * 1000) / 1000).toString());
const pct = (n: number): string => `${Math.round(n * 10) / 10}%`;

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return line(head) + rows.map(line).join('');
}

/** One reply as a live line: what an engineer scans for while the run goes on. */
export function pingReplyLine(r: PingReply): string {
  const seq = `seq=${r.seq ?? '?'}`;
  if (r.error !== undefined) return `${seq}  ${r.from ? `from ${r.from}  ` : ''}${r.error}\n`;
  const dup = r.duplicate ? '  (duplicate)' : '';
  return `${seq}  from ${r.from ?? '?'}  ttl=${r.ttl ?? '-'}  time=${ms(r.rttMs)} ms${dup}\n`;
}

export function pingSummaryText(s: PingSummary): string {
  const extra = [s.duplicates > 0 ? `${s.duplicates} duplicate(s)` : '', s.errors > 0 ? `${s.errors} error(s)` : ''].filter(Boolean);
  const printed = s.printedLossPct !== undefined ? ` (the tool printed ${pct(s.printedLossPct)})` : '';
  const counts = `${s.sent} sent, ${s.received} received${extra.length ? `, ${extra.join(', ')}` : ''}, ${pct(s.lossPct)} loss${printed}`;
  const rtt = s.minMs === null ? '' : `\nrtt min/avg/max/stddev = ${ms(s.minMs)}/${ms(s.avgMs)}/${ms(s.maxMs)}/${ms(s.stddevMs)} ms`;
  return `${counts}${rtt}\n`;
}

export function pingText(result: PingResult, label: string): string {
  const rows = result.replies.map((r) => [
    r.seq === null ? '-' : String(r.seq),
    r.from ?? '-',
    r.ttl === null ? '-' : String(r.ttl),
    ms(r.rttMs),
    [r.duplicate ? 'duplicate' : '', r.error ?? ''].filter(Boolean).join(' '),
  ]);
  const target = result.target ?? result.address;
  let out = `${label}${target ? ` to ${target}${result.address && result.address !== target ? ` (${result.address})` : ''}` : ''}\n\n`;
  out += rows.length ? table(['SEQ', 'FROM', 'TTL', 'TIME MS', 'NOTE'], rows) : 'No replies.\n';
  out += `\n${pingSummaryText(result.summary)}`;
  for (const e of result.errors) out += `error: ${e}\n`;
  if (result.stoppedAt) out += `Stopped at line ${result.stoppedAt.line}: ${result.stoppedAt.reason}\n`;
  return out;
}

function hopRow(h: MtrHop): string[] {
  const hosts = h.host === null ? '???' : [h.host, ...h.hosts.filter((x) => x !== h.host)].join(', ');
  return [String(h.hop), hosts, pct(h.lossPct), String(h.sent), ms(h.lastMs), ms(h.avgMs), ms(h.bestMs), ms(h.worstMs), ms(h.stddevMs)];
}

export function mtrText(result: MtrResult, label: string): string {
  let out = `${label}${result.target ? ` to ${result.target}` : ''}\n\n`;
  out += result.hops.length
    ? table(['HOP', 'HOST', 'LOSS', 'SENT', 'LAST', 'AVG', 'BEST', 'WORST', 'STDEV'], result.hops.map(hopRow))
    : 'No hops.\n';
  if (result.stoppedAt) out += `Stopped at line ${result.stoppedAt.line}: ${result.stoppedAt.reason}\n`;
  return out;
}

export function sipText(s: SipInspection): string {
  const start =
    s.kind === 'request'
      ? `${s.method ?? ''} ${s.uri ?? ''} ${s.version}`
      : s.kind === 'response'
        ? `${s.version} ${s.status ?? ''} ${s.reason ?? ''}`
        : '(no start line)';
  let out = `SIP ${s.kind}: ${start.trim()}\n\n`;
  out += s.headers.length
    ? table(
        ['HEADER', 'VALUE'],
        s.headers.map((h) => [h.name, h.value.replace(/[\r\n]+/g, ' ')]),
      )
    : 'No headers.\n';
  out += `\nBody: ${Buffer.byteLength(s.body, 'utf8')} byte(s)\n`;
  out += s.problems.length
    ? `\n${table(
        ['SEVERITY', 'CODE', 'PROBLEM'],
        s.problems.map((p) => [p.severity, p.code, p.message]),
      )}`
    : '\nNo problems found.\n';
  out += `\n${s.valid ? 'Valid' : 'Not valid'}: ${s.problems.filter((p) => p.severity === 'error').length} error(s), ${s.problems.filter((p) => p.severity === 'warning').length} warning(s).\n`;
  return out;
}
