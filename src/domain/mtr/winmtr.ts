// WinMTR's "Copy text to clipboard" table. It has no hop numbers: rows are hops 1..N in order.
import type { MtrResult } from './types';

const ROW = /^\|\s*(.+?)\s+-\s+(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/;

export function parseWinMtr(text: string): MtrResult {
  const result: MtrResult = { hops: [] };
  text.split(/\r?\n|\r/).forEach((line) => {
    const m = ROW.exec(line.trim());
    if (!m) return;
    const name = m[1] ?? '';
    const host = name === 'No response from host' ? null : name;
    const n = (i: number): number => Number(m[i]);
    result.hops.push({
      hop: result.hops.length + 1,
      host,
      hosts: host === null ? [] : [host],
      lossPct: n(2),
      sent: n(3),
      bestMs: n(5),
      avgMs: n(6),
      worstMs: n(7),
      lastMs: n(8),
      stddevMs: null,
    });
  });
  return result;
}
