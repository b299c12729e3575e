// A server's health from its recent samples. Pure: the host feeds samples and settings in, and
// the same rules serve the fleet list, notifications and the event log.
import { z } from 'zod';
import { isFlaggedCode, SIP_KINDS, type ProbeKind, type Sample } from './sample';
import { medianOf } from './median';

export type MonitorStatus = 'unknown' | 'online' | 'degraded' | 'down' | 'expired' | 'stopped';

export const StatusThresholds = z.object({
  /** Loss over the window above this percentage makes a server degraded. */
  maxLossPct: z.number().min(0).max(100).default(5),
  /** A median round trip above this makes a server degraded. */
  maxLatencyMs: z.number().positive().max(60_000).default(250),
  /** This many losses in a row on every SIP transport probed (or every kind, without SIP) is down. */
  downAfterLosses: z.number().int().min(1).max(100).default(3),
  /** How many recent samples per kind the loss and latency rules look at. */
  windowSamples: z.number().int().min(1).max(1000).default(20),
});
export type StatusThresholds = z.infer<typeof StatusThresholds>;
export const DEFAULT_THRESHOLDS: StatusThresholds = StatusThresholds.parse({});

export type StatusReason =
  | { kind: ProbeKind; rule: 'loss'; lossPct: number }
  | { kind: ProbeKind; rule: 'latency'; medianMs: number }
  | { kind: ProbeKind; rule: 'consecutive-loss'; losses: number }
  | { kind: ProbeKind; rule: 'flagged-code'; code: number };

export interface StatusInput {
  adminState: 'running' | 'stopped';
  /** End of a test period, UTC ms; null for none. */
  expiresAt: number | null;
  now: number;
  /** Recent samples of this server, any kinds, any order. */
  samples: readonly Sample[];
  thresholds?: StatusThresholds;
}

export interface StatusVerdict {
  status: MonitorStatus;
  reasons: StatusReason[];
}

/**
 * Stopped and expired come first: they are what the user decided, and probes pause for them.
 * Down needs every SIP transport we probe to have failed N times in a row; ICMP and TCP alone
 * decide only when no SIP probe runs, because many SIP servers drop ping and are fine. Anything
 * short of that which breaks a threshold, or a 5xx/6xx answer, is degraded.
 */
export function deriveStatus(input: StatusInput): StatusVerdict {
  if (input.adminState === 'stopped') return { status: 'stopped', reasons: [] };
  if (input.expiresAt !== null && input.now >= input.expiresAt) return { status: 'expired', reasons: [] };
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  return verdictOf(groupRecent(input.samples, t.windowSamples), t);
}

/**
 * The same verdict from samples already grouped by kind, each list in time order (the live state
 * keeps them so): only the last `windowSamples` of each are read, and nothing is sorted but the
 * kinds. Every server is re-derived after its new samples, thousands a second at 10,000 servers.
 */
export function deriveStatusOfRecent(
  input: Omit<StatusInput, 'samples'> & { byKind: ReadonlyMap<ProbeKind, readonly Sample[]> },
): StatusVerdict {
  if (input.adminState === 'stopped') return { status: 'stopped', reasons: [] };
  if (input.expiresAt !== null && input.now >= input.expiresAt) return { status: 'expired', reasons: [] };
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  const kinds: [ProbeKind, readonly Sample[]][] = [];
  for (const entry of input.byKind) if (entry[1].length > 0) kinds.push(entry);
  // The order deriveStatus gives the same samples: by each kind's first sample.
  kinds.sort((a, b) => (a[1][0] as Sample).at - (b[1][0] as Sample).at);
  return verdictOf(new Map(kinds.map(([kind, list]) => [kind, list.slice(-t.windowSamples)])), t);
}

function verdictOf(byKind: ReadonlyMap<ProbeKind, readonly Sample[]>, t: StatusThresholds): StatusVerdict {
  if (byKind.size === 0) return { status: 'unknown', reasons: [] };

  const reasons: StatusReason[] = [];
  const failing = new Set<ProbeKind>();
  for (const [kind, recent] of byKind) {
    const streak = trailingLosses(recent);
    if (streak >= t.downAfterLosses) {
      failing.add(kind);
      reasons.push({ kind, rule: 'consecutive-loss', losses: streak });
      continue;
    }
    let lost = 0;
    const rtts: number[] = [];
    /** The last answered sample. */
    let last: Sample | undefined;
    for (const s of recent) {
      if (s.rttMs === null) lost += 1;
      else {
        rtts.push(s.rttMs);
        last = s;
      }
    }
    const loss = (100 * lost) / recent.length;
    if (loss > t.maxLossPct) reasons.push({ kind, rule: 'loss', lossPct: loss });
    const median = medianOf(rtts);
    if (median !== null && median > t.maxLatencyMs) reasons.push({ kind, rule: 'latency', medianMs: median });
    if (last?.code !== undefined && isFlaggedCode(last.code)) reasons.push({ kind, rule: 'flagged-code', code: last.code });
  }

  const sip = [...byKind.keys()].filter((k) => SIP_KINDS.includes(k));
  const deciding = sip.length > 0 ? sip : [...byKind.keys()];
  if (deciding.every((k) => failing.has(k))) return { status: 'down', reasons };
  return { status: reasons.length > 0 ? 'degraded' : 'online', reasons };
}

/** The latest `window` samples per kind, oldest first. */
function groupRecent(samples: readonly Sample[], window: number): Map<ProbeKind, Sample[]> {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const out = new Map<ProbeKind, Sample[]>();
  for (const s of sorted) {
    const list = out.get(s.kind) ?? [];
    list.push(s);
    if (list.length > window) list.shift();
    out.set(s.kind, list);
  }
  return out;
}

function trailingLosses(recent: readonly Sample[]): number {
  let n = 0;
  for (let i = recent.length - 1; i >= 0 && recent[i]?.rttMs === null; i -= 1) n += 1;
  return n;
}
