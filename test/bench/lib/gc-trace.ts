// Reads what `node --trace-gc` prints, one line per collection:
//   [pid:0x…]    40123 ms: Scavenge 45.2 (60.1) -> 40.3 (61.1) MB, 1.23 / 0.00 ms  (…) allocation failure;
//   [pid:0x…]    41001 ms: Mark-Compact 120.3 (140.2) -> 100.1 (130.2) MB, 35.1 / 0.0 ms  (…) …
// and sums a window of them: counts and pauses per kind, and two estimates from the heap sizes.
// Promoted bytes are what the old generation grew by: freed by the mark-compacts plus the rise
// of the heap after the last collection over the heap after the first. Allocated is that plus
// what the scavenges freed (young garbage that never left the nursery).

export interface GcEvent {
  /** ms since the process started (V8's own clock in the line). */
  atMs: number;
  kind: 'scavenge' | 'mark-compact' | 'other';
  beforeMb: number;
  afterMb: number;
  pauseMs: number;
}

const LINE = /\s(\d+) ms: ([A-Za-z-]+)(?: \([a-z ]+\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \//;

export function parseGcLine(line: string): GcEvent | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const name = m[2] ?? '';
  const kind = name === 'Scavenge' || name === 'Minor' ? 'scavenge' : name.startsWith('Mark') ? 'mark-compact' : 'other';
  return { atMs: Number(m[1]), kind, beforeMb: Number(m[3]), afterMb: Number(m[4]), pauseMs: Number(m[5]) };
}

export interface GcSummary {
  seconds: number;
  scavenges: number;
  markCompacts: number;
  /** Total pause, ms per second of window. */
  pauseMsPerS: number;
  /** The longest single pause (ms). */
  maxPauseMs: number;
  promotedMbPerS: number;
  allocatedMbPerS: number;
}

export function summariseGc(events: readonly GcEvent[], seconds: number): GcSummary {
  let scavenges = 0;
  let markCompacts = 0;
  let pause = 0;
  let maxPause = 0;
  let scavengeFreed = 0;
  let markFreed = 0;
  for (const e of events) {
    pause += e.pauseMs;
    maxPause = Math.max(maxPause, e.pauseMs);
    if (e.kind === 'scavenge') {
      scavenges += 1;
      scavengeFreed += Math.max(0, e.beforeMb - e.afterMb);
    } else if (e.kind === 'mark-compact') {
      markCompacts += 1;
      markFreed += Math.max(0, e.beforeMb - e.afterMb);
    }
  }
  const first = events[0];
  const last = events.at(-1);
  const rise = first && last ? last.afterMb - first.afterMb : 0;
  const promoted = Math.max(0, markFreed + rise);
  return {
    seconds,
    scavenges,
    markCompacts,
    pauseMsPerS: pause / seconds,
    maxPauseMs: maxPause,
    promotedMbPerS: promoted / seconds,
    allocatedMbPerS: (promoted + scavengeFreed) / seconds,
  };
}
