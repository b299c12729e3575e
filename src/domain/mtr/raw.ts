// `mtr --raw` (0.95): `x HOP SEQ` probe sent, `h HOP ADDR` host seen, `p HOP RTT_US SEQ`
// reply, `d HOP NAME` reverse DNS. Hops are 0-based in the raw stream and 1-based in results.
import type { MtrHop, MtrResult } from './types';

interface HopState {
  sent: number;
  rtts: number[];
  addrs: string[];
  name?: string;
  last?: number;
}

export interface MtrRawStream {
  push(line: string): void;
  hops(): MtrHop[];
  result(): MtrResult;
}

export function createMtrRawStream(): MtrRawStream {
  const states = new Map<number, HopState>();
  let sawSent = false;
  let lineNo = 0;
  let stoppedAt: MtrResult['stoppedAt'];
  const state = (hop: number): HopState => {
    let s = states.get(hop);
    if (!s) {
      s = { sent: 0, rtts: [], addrs: [] };
      states.set(hop, s);
    }
    return s;
  };

  function push(line: string): void {
    lineNo += 1;
    const parts = line.trim().split(/\s+/);
    const [kind, hopText, value] = parts;
    if (kind === undefined || kind === '') return;
    const hop = Number(hopText);
    if (!/^[xhpds]$/.test(kind) || !Number.isInteger(hop) || hop < 0 || hop > 255) {
      stoppedAt ??= { line: lineNo, reason: `unreadable raw line: ${line.trim().slice(0, 60)}` };
      return;
    }
    const s = state(hop);
    if (kind === 'x' || kind === 's') {
      sawSent = true;
      s.sent += 1;
    } else if (kind === 'h' && value !== undefined) {
      if (!s.addrs.includes(value)) s.addrs.push(value);
    } else if (kind === 'd' && value !== undefined) s.name = value;
    else if (kind === 'p') {
      const us = Number(value);
      if (Number.isFinite(us)) {
        s.rtts.push(us / 1000);
        s.last = us / 1000;
      }
    }
  }

  function hops(): MtrHop[] {
    if (states.size === 0) return [];
    const max = Math.max(...states.keys());
    // Without `x` lines (older mtr) the probe count is best guessed from the busiest hop.
    const fallbackSent = Math.max(...[...states.values()].map((s) => s.rtts.length));
    const out: MtrHop[] = [];
    for (let i = 0; i <= max; i += 1) {
      const s = states.get(i) ?? { sent: 0, rtts: [], addrs: [] };
      const sent = sawSent ? s.sent : fallbackSent;
      const n = s.rtts.length;
      const avg = n > 0 ? s.rtts.reduce((a, b) => a + b, 0) / n : null;
      out.push({
        hop: i + 1,
        host: s.addrs.length > 0 ? (s.name ?? s.addrs[0] ?? null) : null,
        hosts: [...s.addrs],
        lossPct: sent > 0 ? Math.max(0, ((sent - n) / sent) * 100) : 0,
        sent,
        lastMs: s.last ?? null,
        avgMs: avg,
        bestMs: n > 0 ? Math.min(...s.rtts) : null,
        worstMs: n > 0 ? Math.max(...s.rtts) : null,
        stddevMs: avg === null ? null : Math.sqrt(s.rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / n),
      });
    }
    // Probes sent past the destination come back from the destination itself; mtr folds
    // them into the destination's hop, and so do we.
    while (out.length > 1) {
      const last = out[out.length - 1];
      const prev = out[out.length - 2];
      if (!last || !prev || last.host === null || last.hosts[0] !== prev.hosts[0]) break;
      out.pop();
    }
    return out;
  }

  return {
    push,
    hops,
    result: () => (stoppedAt ? { hops: hops(), stoppedAt } : { hops: hops() }),
  };
}

export function parseMtrRaw(text: string): MtrResult {
  const stream = createMtrRawStream();
  for (const line of text.split(/\r?\n|\r/)) stream.push(line);
  return stream.result();
}
