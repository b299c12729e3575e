// One line of `fping -l` (loop mode) output. fping 5 prints, per target and probe:
//   127.0.0.1  : [3], 64 bytes, 0.046 ms (0.046 avg, 0% loss)
//   10.254.0.2 : [1], timed out (NaN avg, 100% loss)
// optionally preceded by a `-D` timestamp `[1795610953.21248] `. Older fping (3.x) prints
// "84 bytes" and "xmt/rcv" forms; anything else (ICMP error notices, summaries) is not a sample.

export type FpingLine = { target: string; seq: number; rttMs: number | null; timestamp?: number };

const LINE = /^(?:\[(\d+(?:\.\d+)?)\]\s+)?(\S+)\s*:\s*\[(\d+)\],\s*(?:\d+ bytes,\s*([\d.]+) ms|timed out)\b/;

export function parseFpingLine(line: string): FpingLine | null {
  const m = LINE.exec(line.trim());
  if (!m || m[2] === undefined || m[3] === undefined) return null;
  const rtt = m[4] === undefined ? null : Number(m[4]);
  if (rtt !== null && !Number.isFinite(rtt)) return null;
  const out: FpingLine = { target: m[2], seq: Number(m[3]), rttMs: rtt };
  if (m[1] !== undefined) out.timestamp = Math.round(Number(m[1]) * 1000);
  return out;
}
