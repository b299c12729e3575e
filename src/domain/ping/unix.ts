// Line grammar shared by iputils (Linux), BusyBox and macOS/BSD ping: they descend from the
// same BSD ping and differ only in small details handled here.
import type { LineEvent } from './events';
import type { PingReply } from './types';
import { int, num } from './text';

const TIMESTAMP = /^\[(\d+(?:\.\d+)?)\]\s*/;
const HEADER = /PING\s+(\S+?)\s*\((.*)\)\s*(?::\s*)?\d+(?:\(\d+\))?\s+(?:data\s+)?bytes/;
const HEADER6_BSD = /PING6\(.*\)\s+(\S+)\s+-->\s+(\S+)/;
// BSD's ping6 puts a comma after the address (`16 bytes from 2001:db8::1, icmp_seq=0 hlim=64 …`).
const REPLY =
  /^(\d+) bytes from (.+?)[:,]\s+(?:icmp_seq|icmp_req|seq)=(\d+)(?:\s+(?:ttl|hlim)=(\d+))?(?:\s+[^\s=<]+[=<]\s*([\d.]+)\s*ms)?(.*)$/;
const FROM_ERROR = /^From (\S+?)(?: \(([^)]*)\))?:? icmp_seq=(\d+)\s+(.+)$/;
const BSD_ERROR = /^\d+ bytes from (\S+?):\s+(.+)$/;
const NO_ANSWER = /no answer yet for icmp_seq=(\d+)/;
const BSD_TIMEOUT = /^Request timeout for icmp_seq (\d+)/;
const STATS = /^---\s+(.+?)\s+ping statistics\s+---/;
const COUNTS = /(\d+) packets transmitted, (\d+)(?: packets)? received/;
// BSD ping6 (and Junos) spell it `std-dev`.
const RTT = /(?:rtt|round-trip)\s+min\/avg\/max(?:\/(?:mdev|stddev|std-dev))?\s*=\s*([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/(\S+?))?\s*ms/;

/** Pulls the address out of "name (address)" or returns the text as it is. */
function innerAddress(text: string): string {
  const m = /\(([^()]+)\)\s*$/.exec(text);
  return (m?.[1] ?? text).trim();
}

function errorText(message: string): string {
  const clean = message.trim();
  return /unreachable/i.test(clean) ? `unreachable: ${clean}` : `error: ${clean}`;
}

export function parseUnixLine(raw: string): LineEvent | null {
  let line = raw.trim();
  let timestamp: number | undefined;
  const ts = TIMESTAMP.exec(line);
  if (ts) {
    timestamp = Math.round(Number(ts[1]) * 1000);
    line = line.slice(ts[0].length);
  }
  const withTs = (reply: PingReply): PingReply => (timestamp === undefined ? reply : { ...reply, timestamp });

  let m = REPLY.exec(line);
  if (m) {
    const rest = m[6] ?? '';
    return {
      kind: 'reply',
      numbered: true,
      reply: withTs({
        seq: int(m[3]),
        ttl: int(m[4]),
        rttMs: num(m[5]),
        from: innerAddress(m[2] ?? ''),
        duplicate: /\(DUP!\)/.test(rest),
      }),
    };
  }
  m = FROM_ERROR.exec(line);
  if (m) {
    return {
      kind: 'reply',
      numbered: true,
      reply: withTs({ seq: int(m[3]), ttl: null, rttMs: null, from: m[2] ?? m[1] ?? '', duplicate: false, error: errorText(m[4] ?? '') }),
    };
  }
  m = NO_ANSWER.exec(line);
  if (m)
    return {
      kind: 'reply',
      numbered: true,
      reply: withTs({ seq: int(m[1]), ttl: null, rttMs: null, duplicate: false, error: 'no answer yet' }),
    };
  m = BSD_TIMEOUT.exec(line);
  if (m)
    return { kind: 'reply', numbered: true, reply: withTs({ seq: int(m[1]), ttl: null, rttMs: null, duplicate: false, error: 'timeout' }) };
  m = BSD_ERROR.exec(line);
  if (m)
    return {
      kind: 'reply',
      numbered: false,
      reply: withTs({ seq: null, ttl: null, rttMs: null, from: m[1] ?? '', duplicate: false, error: errorText(m[2] ?? '') }),
    };

  m = HEADER6_BSD.exec(line);
  if (m) return { kind: 'header', target: m[2] ?? '', address: m[2] ?? '' };
  m = HEADER.exec(line);
  if (m) return { kind: 'header', target: m[1] ?? '', address: innerAddress(m[2] ?? '') };
  m = STATS.exec(line);
  if (m) return { kind: 'stats-header', target: m[1] ?? '' };
  m = COUNTS.exec(line);
  if (m) {
    const loss = /([\d.]+)% packet loss/.exec(line);
    return {
      kind: 'counts',
      sent: int(m[1]) ?? 0,
      received: int(m[2]) ?? 0,
      duplicates: int(/\+?(\d+) duplicates/.exec(line)?.[1]) ?? 0,
      errors: int(/\+(\d+) errors/.exec(line)?.[1]) ?? 0,
      printedLoss: num(loss?.[1]),
    };
  }
  m = RTT.exec(line);
  if (m) return { kind: 'rtt', min: num(m[1]), avg: num(m[2]), max: num(m[3]), stddev: num(m[4]) };
  if (/^pipe \d+/.test(line)) return { kind: 'ignore' };
  if (/^(?:ping6?|connect):/.test(line)) return { kind: 'error', message: line };
  return null;
}
