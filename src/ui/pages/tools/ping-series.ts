// The points a ping chart draws from its rows: round trips on a line that breaks wherever a
// request got no answer (never joining 3 → 5 across a lost 4), and a loss mark at each such
// point, lost requests and timeout or error lines alike.
import type { PingRow } from '../../../domain/ping/reply-rows';

export type Point = [number, number | null];

export interface PingSeries {
  line: Point[];
  lost: Array<[number, number]>;
}

/** Marks a long run of losses at its ends and every step up to this many between. */
const MAX_MARKS_PER_RUN = 200;

export function pingSeries(rows: PingRow[]): PingSeries {
  const line: Point[] = [];
  const lost: Array<[number, number]> = [];
  let n = 0;
  for (const row of rows) {
    if (row.kind === 'reply') {
      n += 1;
      if (row.reply.duplicate) continue;
      const x = row.at ?? n;
      line.push([x, row.reply.rttMs]);
      if (row.reply.rttMs === null) lost.push([x, 0]);
      continue;
    }
    // A null point breaks the line; text left out of a paste breaks it too, with no loss mark.
    line.push([row.at, null]);
    if (row.kind === 'lost') {
      const step = Math.max(1, Math.ceil(row.count / MAX_MARKS_PER_RUN));
      for (let i = 0; i < row.count; i += step) lost.push([row.at + i, 0]);
      if ((row.count - 1) % step !== 0) lost.push([row.at + row.count - 1, 0]);
    }
  }
  return { line, lost };
}
