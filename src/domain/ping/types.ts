/** One echo attempt as the ping tool printed it. */
export interface PingReply {
  seq: number | null;
  ttl: number | null;
  rttMs: number | null;
  from?: string;
  duplicate: boolean;
  /** e.g. 'timeout', 'unreachable: Destination Host Unreachable' */
  error?: string;
  /** iputils -D timestamp, epoch milliseconds */
  timestamp?: number;
}

export interface PingSummary {
  sent: number;
  received: number;
  duplicates: number;
  errors: number;
  /** Computed from sent/received, never copied from the text. */
  lossPct: number;
  /** The figure the tool printed, kept only when it differs from lossPct. */
  printedLossPct?: number;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
  stddevMs: number | null;
}

export interface StoppedAt {
  line: number;
  reason: string;
}

export interface PingResult {
  target?: string;
  address?: string;
  replies: PingReply[];
  summary: PingSummary;
  errors: string[];
  stoppedAt?: StoppedAt;
}

export type PingFlavor = 'linux' | 'busybox' | 'bsd' | 'windows';
