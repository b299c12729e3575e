// The line-by-line reader behind both parsePing (whole text) and createPingStream (live runs):
// one state machine, so a pasted run and a live run give the same result.
import type { LineEvent } from './events';
import type { PingReply, PingResult, PingSummary, StoppedAt } from './types';
import { parseUnixLine } from './unix';
import { parseWindowsLine } from './windows';
import { normalizeLine } from './text';
import { emptySummary, settleLoss, summaryFromReplies } from './summary';

export interface PingStream {
  /** Feeds one line; returns the reply or the (updated) summary it produced, if any. */
  push(line: string): PingReply | PingSummary | null;
  /** The result so far; marks where and why it stops when the statistics never came. */
  result(): PingResult;
}

export function createPingStream(): PingStream {
  const replies: PingReply[] = [];
  const errors: string[] = [];
  let target: string | undefined;
  let address: string | undefined;
  let summary: PingSummary | null = null;
  let sawStatsHeader = false;
  let sawRtt = false;
  let unparsedInStats: StoppedAt | undefined;
  let lineNo = 0;
  let lastLine = 0;
  let windowsCount = 0;

  function apply(ev: LineEvent): PingReply | PingSummary | null {
    switch (ev.kind) {
      case 'header':
        if (target === undefined) {
          target = ev.target;
          address = ev.address;
        }
        return null;
      case 'reply': {
        const reply = ev.numbered ? ev.reply : { ...ev.reply, seq: (windowsCount += 1) };
        replies.push(reply);
        return reply;
      }
      case 'stats-header':
        sawStatsHeader = true;
        if (target === undefined && ev.target !== undefined) target = ev.target;
        return null;
      case 'counts': {
        const s = summary ?? emptySummary();
        s.sent = ev.sent;
        s.received = ev.received;
        s.duplicates = ev.duplicates;
        s.errors = ev.errors;
        settleLoss(s, ev.printedLoss);
        summary = s;
        return s;
      }
      case 'loss':
        if (summary === null) return null;
        settleLoss(summary, ev.printedLoss);
        return summary;
      case 'rtt': {
        const s = summary ?? emptySummary();
        s.minMs = ev.min;
        s.avgMs = ev.avg;
        s.maxMs = ev.max;
        s.stddevMs = ev.stddev;
        summary = s;
        sawRtt = true;
        return s;
      }
      case 'error':
        errors.push(ev.message);
        return null;
      case 'ignore':
        return null;
    }
  }

  return {
    push(raw: string): PingReply | PingSummary | null {
      lineNo += 1;
      const line = normalizeLine(raw);
      if (line.trim() === '') return null;
      lastLine = lineNo;
      const ev = parseUnixLine(line) ?? parseWindowsLine(line);
      if (ev === null) {
        // Anything unreadable after the statistics began means the block was cut short.
        if (sawStatsHeader && summary === null && unparsedInStats === undefined)
          unparsedInStats = { line: lineNo, reason: `unreadable statistics line: ${line.trim().slice(0, 80)}` };
        return null;
      }
      return apply(ev);
    },
    result(): PingResult {
      const out: PingResult = {
        replies: [...replies],
        summary: summary ? { ...summary } : summaryFromReplies(replies),
        errors: [...errors],
      };
      if (target !== undefined) out.target = target;
      if (address !== undefined) out.address = address;
      const stop = stoppedAt();
      if (stop) out.stoppedAt = stop;
      return out;
    },
  };

  function stoppedAt(): StoppedAt | undefined {
    if (summary === null) {
      if (replies.length === 0 && target === undefined && !sawStatsHeader)
        return lineNo === 0 ? undefined : { line: lastLine, reason: 'no ping output found' };
      return {
        line: lastLine,
        reason: sawStatsHeader ? 'statistics block cut short' : 'no statistics block: output ends early or was interrupted',
      };
    }
    if (unparsedInStats) return unparsedInStats;
    // Only Linux/BSD/BusyBox and Windows with answers print a round-trip line.
    const answered = replies.some((r) => r.error === undefined && r.rttMs !== null) || (replies.length === 0 && summary.received > 0);
    if (!sawRtt && answered && summary.received > 0) return { line: lastLine, reason: 'round-trip line missing' };
    return undefined;
  }
}

export function parsePing(text: string): PingResult {
  const stream = createPingStream();
  for (const line of text.split(/\r?\n|\r/)) stream.push(line);
  return stream.result();
}
