import type { PingReply, PingSummary } from './types';
import { lossFrom } from './text';

export function emptySummary(): PingSummary {
  return {
    sent: 0,
    received: 0,
    duplicates: 0,
    errors: 0,
    lossPct: 0,
    minMs: null,
    avgMs: null,
    maxMs: null,
    stddevMs: null,
  };
}

/** Sets lossPct from the counts and keeps the printed figure only when it disagrees. */
export function settleLoss(summary: PingSummary, printed: number | null): void {
  summary.lossPct = lossFrom(summary.sent, summary.received);
  if (printed !== null && Math.abs(printed - summary.lossPct) > 1e-9) summary.printedLossPct = printed;
  else delete summary.printedLossPct;
}

/**
 * Builds a summary from the replies alone, used when the statistics block never arrived
 * (a run cut short, or a paste that stops early): so far is better than nothing.
 */
export function summaryFromReplies(replies: PingReply[]): PingSummary {
  const s = emptySummary();
  const seqs = new Set<number>();
  const rtts: number[] = [];
  let unnumbered = 0;
  for (const r of replies) {
    if (r.duplicate) {
      s.duplicates += 1;
      continue;
    }
    if (r.seq === null) unnumbered += 1;
    else seqs.add(r.seq);
    if (r.error !== undefined && r.error !== 'timeout' && r.error !== 'no answer yet') s.errors += 1;
    if (r.error === undefined && r.rttMs !== null) {
      s.received += 1;
      rtts.push(r.rttMs);
    }
  }
  s.sent = seqs.size + unnumbered;
  if (rtts.length > 0) {
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    s.minMs = Math.min(...rtts);
    s.maxMs = Math.max(...rtts);
    s.avgMs = avg;
    s.stddevMs = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
  }
  settleLoss(s, null);
  return s;
}
