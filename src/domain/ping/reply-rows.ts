// The rows a reply table and chart show: every reply as ping printed it, plus a row for each
// echo request that never got one. Linux and BSD ping print nothing for a lost request, so seq
// 4 missing between 3 and 5 is only visible as a gap; the final requests lost at the end are
// known only from the summary's transmitted count. Sequence numbers are 16 bits and wrap
// (65535 → 0), and a late reply can arrive after later ones.
import type { PingReply, PingResult } from './types';

const SEQ_SPAN = 65536;
/** Longer runs of losses are one row ("seq 5–904, 900 lost"), so a table stays readable. */
export const MAX_LOST_ROWS_PER_GAP = 100;
/** Without a transmitted count, a gap longer than this is taken for text left out, not loss. */
const MAX_UNCOUNTED_GAP = 1000;

export type PingRow =
  /** `at` is the sequence number unwrapped past 65535 (for a chart axis); null when unnumbered. */
  | { kind: 'reply'; reply: PingReply; at: number | null }
  /** Requests with no reply: one row for seq..toSeq (count 1 for a single lost request). */
  | { kind: 'lost'; seq: number; toSeq: number; count: number; at: number }
  /** Sequence numbers missing from a text that, by its own count, did not lose them all. */
  | { kind: 'not-shown'; seq: number; toSeq: number; count: number; at: number };

export interface ReplyRowOptions {
  /** The transmitted and received counts ping printed at the end; leave out while running or when unknown. */
  sent?: number | undefined;
  received?: number | undefined;
  /** The first sequence number this ping uses: 1 for Linux iputils (default), 0 for BSD and BusyBox. */
  firstSeq?: number | undefined;
}

const count = (n: number | undefined): number | undefined => (n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined);
/** A reply that answered: a round trip and no error (a late reply to -O's "no answer yet" counts). */
const answers = (r: PingReply): boolean => !r.duplicate && r.rttMs !== null && r.error === undefined;
const label = (at: number): number => ((at % SEQ_SPAN) + SEQ_SPAN) % SEQ_SPAN;

/** Unwraps each numbered reply's seq to the value nearest the highest one seen before it. */
function unwrap(replies: PingReply[]): Array<number | null> {
  let top: number | null = null;
  return replies.map((r) => {
    if (r.seq === null || !Number.isInteger(r.seq)) return null;
    if (top === null) {
      top = r.seq;
      return r.seq;
    }
    const base = top - label(top);
    const candidates = [base - SEQ_SPAN, base, base + SEQ_SPAN].map((b) => b + label(r.seq ?? 0));
    const at = candidates.reduce((best, c) => (Math.abs(c - (top ?? 0)) < Math.abs(best - (top ?? 0)) ? c : best));
    top = Math.max(top, at);
    return at;
  });
}

/** Rows for the missing numbers from..to (all missing), split so none lists more than the cap. */
function lostRows(from: number, to: number, kind: 'lost' | 'not-shown'): PingRow[] {
  const count = to - from + 1;
  if (count <= 0) return [];
  if (kind === 'not-shown' || count > MAX_LOST_ROWS_PER_GAP) return [{ kind, seq: label(from), toSeq: label(to), count, at: from }];
  return Array.from({ length: count }, (_, i) => ({ kind, seq: label(from + i), toSeq: label(from + i), count: 1, at: from + i }));
}

export function pingRows(replies: PingReply[], options: ReplyRowOptions = {}): PingRow[] {
  const ats = unwrap(replies);
  const seen = new Set(ats.filter((a): a is number => a !== null));
  if (seen.size === 0) return replies.map((reply) => ({ kind: 'reply', reply, at: null }));

  // Gaps between the highest number so far and the next higher one, minus late arrivals.
  type Gap = { before: number; runs: Array<[number, number]>; size: number };
  const gaps: Gap[] = [];
  let top: number | null = null;
  ats.forEach((at, index) => {
    if (at === null) return;
    if (top !== null && at - top - 1 > MAX_UNCOUNTED_GAP) {
      // Too long to look for late replies in one by one: one run, shown as a single row.
      gaps.push({ before: index, runs: [[top + 1, at - 1]], size: at - top - 1 });
    } else if (top !== null && at > top + 1) {
      const runs: Array<[number, number]> = [];
      let size = 0;
      let start: number | null = null;
      for (let n = top + 1; n < at; n++) {
        if (!seen.has(n)) {
          start ??= n;
          size++;
        } else if (start !== null) {
          runs.push([start, n - 1]);
          start = null;
        }
      }
      if (start !== null) runs.push([start, at - 1]);
      if (size > 0) gaps.push({ before: index, runs, size });
    }
    top = Math.max(top ?? at, at);
  });
  const first = Math.min(...seen);
  const last = Math.max(...seen);
  const inGaps = gaps.reduce((n, g) => n + g.size, 0);
  const sent = count(options.sent);
  const received = count(options.received);
  let edge = 0;
  let trimmed = false;
  if (sent !== undefined) {
    const answered = new Set(replies.flatMap((r, i) => (answers(r) && ats[i] !== null ? [ats[i]] : [])));
    const unnumbered = replies.filter((r, i) => ats[i] === null && !r.duplicate);
    // Numbers the text never shows, and (from the counts) requests lost without a line.
    const positions = sent - unnumbered.length - seen.size;
    edge = Math.max(0, positions - inGaps);
    if (received !== undefined) {
      const shownUnanswered = [...seen].filter((at) => !answered.has(at)).length + unnumbered.filter((r) => !answers(r)).length;
      trimmed = positions > sent - received - shownUnanswered;
    }
  }
  const kind = trimmed ? 'not-shown' : 'lost';
  const gapKind = (g: Gap): 'lost' | 'not-shown' => (sent === undefined && g.size > MAX_UNCOUNTED_GAP ? 'not-shown' : kind);
  const gapAt = new Map(gaps.map((g) => [g.before, g]));
  const rows: PingRow[] = [];
  const leading = Math.max(0, Math.min(edge, first - (options.firstSeq ?? Math.min(1, first))));
  const trailing = edge - leading;
  rows.push(...lostRows(first - leading, first - 1, kind));
  replies.forEach((reply, index) => {
    const gap = gapAt.get(index);
    if (gap) for (const [from, to] of gap.runs) rows.push(...lostRows(from, to, gapKind(gap)));
    rows.push({ kind: 'reply', reply, at: ats[index] ?? null });
  });
  rows.push(...lostRows(last + 1, last + trailing, kind));
  return rows;
}

/**
 * Rows for a ping result as shown: the transmitted count is trusted only once the run has
 * ended and its text was read to the end (a paste cut before its statistics has no count).
 */
export function pingRowsOf(result: Pick<PingResult, 'replies' | 'summary' | 'stoppedAt'>, finished: boolean): PingRow[] {
  const counted = finished && result.stoppedAt === undefined;
  return pingRows(result.replies, counted ? { sent: result.summary.sent, received: result.summary.received } : {});
}
