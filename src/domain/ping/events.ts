import type { PingReply } from './types';

/** What one line of ping output means, independent of which tool printed it. */
export type LineEvent =
  | { kind: 'header'; target?: string; address?: string }
  | { kind: 'reply'; reply: PingReply; numbered: boolean }
  | { kind: 'stats-header'; target?: string }
  | { kind: 'counts'; sent: number; received: number; duplicates: number; errors: number; printedLoss: number | null }
  | { kind: 'loss'; printedLoss: number }
  | { kind: 'rtt'; min: number | null; avg: number | null; max: number | null; stddev: number | null }
  | { kind: 'error'; message: string }
  | { kind: 'ignore' };
