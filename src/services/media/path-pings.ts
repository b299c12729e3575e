// One ping from a server (an RTP server, or the SIP server for the direct figure) to one end of
// the call, turned into a figure or into a sentence saying what failed and where. Nothing here
// throws: a measurement of twenty RTP servers must survive one of them being down.
import type { PathFigure } from '../../domain/media/ranking';
import type { PingParams } from '../../domain/tools';
import { runPing, type ToolRunner } from '../tools';

export interface PathPing {
  /** 'RTP server rtp-ny1 (192.0.2.20)' or 'sw1 (192.0.2.10)'. */
  from: string;
  /** 'the customer 203.0.113.5'. */
  to: string;
  target: string;
  runner: ToolRunner;
}

export interface PathPingOptions {
  params: PingParams;
  /** A ping that has not finished by then is stopped and reported (an unreachable end can hold ping for long). */
  deadlineMs: number;
}

export async function pingPath(p: PathPing, options: PathPingOptions): Promise<PathFigure> {
  const fail = (why: string): PathFigure => ({ rttMs: null, lossPct: null, error: `${p.from} could not measure ${p.to}: ${why}` });
  const signal = AbortSignal.timeout(options.deadlineMs);
  try {
    const run = await runPing({ target: p.target, params: options.params, runner: p.runner, signal });
    const { summary } = run.result;
    if (run.status === 'cancelled' && summary.avgMs === null) return fail(`no result within ${Math.round(options.deadlineMs / 1000)} s.`);
    if (run.status === 'failed') return fail(`ping failed (${run.error ?? 'no reason given'}).`);
    if (summary.avgMs === null) {
      return {
        rttMs: null,
        lossPct: 100,
        error: `${p.from} got no answer from ${p.to} (${summary.sent || options.params.count} pings sent).`,
      };
    }
    return { rttMs: summary.avgMs, lossPct: summary.lossPct, error: null };
  } catch (error) {
    // An SSH refusal, a missing ping, a host key to confirm: said in the SSH layer's own words.
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** Runs `work` over the items with at most `limit` at a time, in order of start. */
export async function boundedAll<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
