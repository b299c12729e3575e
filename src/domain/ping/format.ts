// Writes a result as iputils ping text: used to share a live run in the form engineers
// already paste, and read back by parsePing.
import type { PingReply, PingResult } from './types';

const ms = (n: number): string => String(Math.round(n * 1000) / 1000);

function replyLine(r: PingReply): string {
  const seq = r.seq ?? 0;
  let text: string;
  if (r.error === 'no answer yet' || r.error === 'timeout') text = `no answer yet for icmp_seq=${seq}`;
  else if (r.error !== undefined) text = `From ${r.from ?? '0.0.0.0'} icmp_seq=${seq} ${r.error.replace(/^(?:unreachable|error): /, '')}`;
  else {
    const ttl = r.ttl === null ? '' : ` ttl=${r.ttl}`;
    const time = r.rttMs === null ? '' : ` time=${ms(r.rttMs)} ms`;
    text = `64 bytes from ${r.from ?? '0.0.0.0'}: icmp_seq=${seq}${ttl}${time}${r.duplicate ? ' (DUP!)' : ''}`;
  }
  return r.timestamp === undefined ? text : `[${(r.timestamp / 1000).toFixed(6)}] ${text}`;
}

export function formatPingLinux(result: PingResult): string {
  const target = result.target ?? result.address ?? '0.0.0.0';
  const s = result.summary;
  const lines = [`PING ${target} (${result.address ?? target}) 56(84) bytes of data.`];
  for (const r of result.replies) lines.push(replyLine(r));
  lines.push('', `--- ${target} ping statistics ---`);
  const dup = s.duplicates > 0 ? `, +${s.duplicates} duplicates` : '';
  const err = s.errors > 0 ? `, +${s.errors} errors` : '';
  lines.push(`${s.sent} packets transmitted, ${s.received} received${dup}${err}, ${s.printedLossPct ?? s.lossPct}% packet loss, time 0ms`);
  if (s.minMs !== null && s.avgMs !== null && s.maxMs !== null) {
    lines.push(`rtt min/avg/max/mdev = ${ms(s.minMs)}/${ms(s.avgMs)}/${ms(s.maxMs)}/${ms(s.stddevMs ?? 0)} ms`);
  }
  for (const e of result.errors) lines.push(e);
  return lines.join('\n') + '\n';
}
